import { Button, Spinner, Tab, TabList, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import type { CasesApi } from '../../../api/client';
import { useAdminI18n } from './admin-messages';
import { useLoad } from '../../hooks/useLoad';
import { AssignmentRules, type AssignmentApi } from './AssignmentRules';
import { EscalationRules, type EscalationApi } from './EscalationRules';
import { FieldLayoutAdmin, type LayoutApi } from './FieldLayoutAdmin';
import { MailboxesAdmin, type MailboxesApi } from './MailboxesAdmin';
import { ManagersAdmin, type ManagersApi } from './ManagersAdmin';
import { TemplatesAdmin, type TemplatesApi } from './TemplatesAdmin';
import { ruleFields } from './rule-criteria';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  back: { alignSelf: 'flex-start' },
});

type AdminApi = LayoutApi &
  AssignmentApi &
  EscalationApi &
  TemplatesApi &
  ManagersApi &
  MailboxesApi &
  Pick<CasesApi, 'activeUsers'>;
type AdminTab = 'layout' | 'rules' | 'templates' | 'mailboxes';

/** Administrators' settings in the pane: field layout, assignment and escalation rules, email templates, mailboxes. */
export function AdminView({ api, onBack }: { api: AdminApi; onBack(): void }) {
  const styles = useStyles();
  const { t } = useAdminI18n();
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
      {tab === 'layout' && <FieldLayoutAdmin api={api} />}
      {tab === 'rules' && <RulesPanel api={api} />}
      {tab === 'templates' && <TemplatesAdmin api={api} />}
      {tab === 'mailboxes' && <MailboxesAdmin api={api} />}
    </div>
  );
}

function RulesPanel({ api }: { api: AdminApi }) {
  const { t } = useAdminI18n();
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
      <AssignmentRules api={api} users={users} fields={fields} />
      <EscalationRules api={api} users={users} fields={fields} />
      <ManagersAdmin api={api} users={users} />
    </>
  );
}
