import { Button, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useI18n } from '../../../i18n';

const useStyles = makeStyles({
  body: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  toggle: { alignSelf: 'flex-start' },
});

/**
 * The fields off the quick form, behind one disclosure button (the WAI-ARIA disclosure pattern; lighter than an
 * Accordion). Closed, they stay mounted and hidden, so nothing typed in them is lost and a save still sends them.
 */
export function MoreFields({
  open,
  onToggle,
  count,
  children,
}: {
  open: boolean;
  onToggle(): void;
  count: number;
  children: ReactNode;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <>
      <Button
        appearance="subtle"
        className={styles.toggle}
        data-testid="more-fields"
        aria-expanded={open}
        aria-controls="more-fields-body"
        onClick={onToggle}
      >
        {open ? t('fewerFields') : t('moreFields', { count })}
      </Button>
      <div id="more-fields-body" hidden={!open} className={open ? styles.body : undefined}>
        {children}
      </div>
    </>
  );
}
