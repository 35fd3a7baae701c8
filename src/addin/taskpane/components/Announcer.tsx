import { makeStyles } from '@fluentui/react-components';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

/** Tells screen readers the result of an action (saved, linked, failed…), politely and once. */
export type Announce = (text: string) => void;

const AnnounceContext = createContext<Announce>(() => undefined);

const useStyles = makeStyles({
  // Visually hidden but read by screen readers (the usual clip pattern; display:none would silence it).
  hidden: {
    position: 'absolute',
    width: '1px',
    height: '1px',
    margin: '-1px',
    padding: '0',
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
    border: '0',
  },
});

/**
 * One polite live region for the whole pane. Our own region rather than Fluent's AriaLiveAnnouncer: Fluent's uses
 * `document.ariaNotify` where the browser has it, which leaves nothing in the DOM for a test to read, and its DOM
 * fallback removes each message after a moment. Each announcement gets a fresh node (keyed), so the same text said
 * twice (two saves) is announced twice, and a re-render never repeats it.
 */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const styles = useStyles();
  const [said, setSaid] = useState<{ n: number; text: string }>({ n: 0, text: '' });
  const announce = useCallback<Announce>((text) => setSaid((s) => ({ n: s.n + 1, text })), []);
  const value = useMemo(() => announce, [announce]);
  return (
    <AnnounceContext.Provider value={value}>
      {children}
      <div
        role="status"
        aria-live="polite"
        aria-atomic="true"
        data-testid="announcer"
        className={styles.hidden}
      >
        {said.text && <span key={said.n}>{said.text}</span>}
      </div>
    </AnnounceContext.Provider>
  );
}

export function useAnnouncer(): Announce {
  return useContext(AnnounceContext);
}
