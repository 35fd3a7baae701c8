import { Button, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import { useI18n } from '../../i18n';
import { useAnnouncer } from './Announcer';

const useStyles = makeStyles({
  root: {
    minHeight: '100vh',
    boxSizing: 'border-box',
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalM}`,
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    rowGap: tokens.spacingVerticalM,
  },
});

/**
 * After Sign out: nothing of the previous user is on screen or in this device's drafts, and nothing signs in again
 * until the agent asks (local mode would otherwise sign the same Outlook user straight back in).
 */
export function SignedOut({ onSignIn }: { onSignIn(): void }) {
  const styles = useStyles();
  const { t } = useI18n();
  const announce = useAnnouncer();
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    announce(t('signedOutTitle'));
    button.current?.focus();
  }, [announce, t]);
  return (
    <main className={styles.root} data-testid="signed-out">
      <Text as="h1" size={500} weight="semibold">
        {t('signedOutTitle')}
      </Text>
      <Text>{t('signedOutBody')}</Text>
      <Button ref={button} appearance="primary" data-testid="sign-in-again" onClick={onSignIn}>
        {t('signInButton')}
      </Button>
    </main>
  );
}
