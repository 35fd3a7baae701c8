import { Button, Spinner, Tab, TabList, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { usePartI18n } from '../../../i18n';
import { ADMIN_TEXT } from '../../../i18n/catalogs/admin';
import { useLoad } from '../../hooks/useLoad';
import { AssignmentRules } from './AssignmentRules';
import { EscalationRules } from './EscalationRules';
import { FieldLayoutAdmin } from './FieldLayoutAdmin';
import { MailboxesAdmin } from './MailboxesAdmin';
import { ManagersAdmin } from './ManagersAdmin';
import { TemplatesAdmin } from './TemplatesAdmin';
import { ruleFields } from './rule-criteria';
import { useApi } from '../../services';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  back: { alignSelf: 'flex-start' },
});

type AdminTab = 'layout' | 'rules' | 'templates' | 'mailboxes';

/** Administrators' settings in the pane: field layout, assignment and escalation rules, email templates, mailboxes. */
export function AdminView({ onBack }: { onBack(): void }) {
  const styles = useStyles();
  const { t } = usePartI18n(ADMIN_TEXT);
  const [tab, setTab] = useState<AdminTab>('layout');
  const heading = useRef<HTMLHeadingElement>(null);
  // Opening settings replaces the whole pane: focus its heading, as Open case does, so the reader starts there.
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className={styles.root} data-testid="admin-view">
      <Button appearance="subtle" className={styles.back} data-testid="admin-back" onClick={onBack}>
        {t('back')}
      </Button>
      <Text as="h1" id="admin-title" size={500} weight="semibold" tabIndex={-1} ref={heading}>
        {t('adminTabs')}
      </Text>
      <TabList
        selectedValue={tab}
        onTabSelect={(_, d) => setTab(d.value as AdminTab)}
        aria-labelledby="admin-title"
      >
        <Tab value="layout" data-testid="admin-tab-layout">
          {t('layoutTitle')}
        </Tab>
        <Tab value="rules" data-testid="admin-tab-rules">
          {t('rulesTitle')}
        </Tab>
        <Tab value="templates" data-testid="admin-tab-templates">
          {t('templatesTitle')}
        </Tab>
        <Tab value="mailboxes" data-testid="admin-tab-mailboxes">
          {t('mailboxesTitle')}
        </Tab>
      </TabList>
      {tab === 'layout' && <FieldLayoutAdmin />}
      {tab === 'rules' && <RulesPanel />}
      {tab === 'templates' && <TemplatesAdmin />}
      {tab === 'mailboxes' && <MailboxesAdmin />}
    </div>
  );
}

function RulesPanel() {
  const api = useApi();
  const { t } = usePartI18n(ADMIN_TEXT);
  // Users and fields are what both rule forms choose from; loaded once for the two.
  const choices = useLoad('rule-choices', async () => {
    const [users, fields] = await Promise.all([api.activeUsers(), api.caseFields()]);
    return { users, fields: ruleFields(fields) };
  });
  if (choices.state.status === 'loading') return <Spinner label={t('loading')} />;
  const { users, fields } =
    choices.state.status === 'ready' ? choices.state.value : { users: [], fields: [] };
  return (
    <>
      <AssignmentRules users={users} fields={fields} />
      <EscalationRules users={users} fields={fields} />
      <ManagersAdmin users={users} />
    </>
  );
}
