import { Component, lazy, Suspense, useState, type ComponentType, type ReactNode } from 'react';
import { Button, MessageBar, MessageBarActions, MessageBarBody, Spinner } from '@fluentui/react-components';
import { useI18n } from '../../i18n';

const RETRIES = 2;

/** A code chunk that fails to download (network gone for a moment) is fetched again before anyone hears of it. */
async function loadWithRetries<T>(load: () => Promise<T>, delayMs: number): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await load();
    } catch (error) {
      if (attempt >= RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs * (attempt + 1)));
    }
  }
}

class PartBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

function Loading() {
  const { t } = useI18n();
  return <Spinner label={t('loading')} />;
}

function PartFailed({ onRetry }: { onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <MessageBar intent="error" data-testid="part-load-error">
      <MessageBarBody>{t('partLoadFailed')}</MessageBarBody>
      <MessageBarActions>
        <Button onClick={onRetry}>{t('retry')}</Button>
      </MessageBarActions>
    </MessageBar>
  );
}

/**
 * React.lazy for a view loaded on first use, fenced off: without it, a chunk that cannot be downloaded throws
 * during render and React removes the whole pane — the form the agent is typing in included. Here only this
 * part shows an error with Retry (a fresh download: React.lazy keeps a failed load for good). Two automatic
 * retries come first, `retryDelayMs` and twice that apart. Its own Suspense shows the loading state: had it
 * been the caller's, this component would be thrown away while loading and start a new download each time.
 */
export function lazyPart<P extends object>(
  load: () => Promise<ComponentType<P>>,
  retryDelayMs = 1000,
): ComponentType<P> {
  // React's lazy types cannot see that a generic P passes through; the component takes exactly P.
  const fresh = () =>
    lazy(() =>
      loadWithRetries(load, retryDelayMs).then((c) => ({ default: c })),
    ) as unknown as ComponentType<P>;
  return function LazyPart(props: P) {
    const [part, setPart] = useState(() => ({ attempt: 0, Loaded: fresh() }));
    const retry = () => setPart((p) => ({ attempt: p.attempt + 1, Loaded: fresh() }));
    return (
      <PartBoundary key={part.attempt} fallback={<PartFailed onRetry={retry} />}>
        <Suspense fallback={<Loading />}>
          <part.Loaded {...props} />
        </Suspense>
      </PartBoundary>
    );
  };
}
