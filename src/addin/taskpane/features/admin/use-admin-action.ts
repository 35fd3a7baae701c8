import { useState } from 'react';

export type ActionStatus =
  { status: 'idle' | 'busy' } | { status: 'done'; text: string } | { status: 'failed'; error: unknown };

/** One admin change at a time: busy while it runs, then its success text or its error; reloads after success. */
export function useAdminAction(reload: () => void) {
  const [status, setStatus] = useState<ActionStatus>({ status: 'idle' });
  const act = async (work: () => Promise<void>, doneText: string) => {
    setStatus({ status: 'busy' });
    try {
      await work();
      setStatus({ status: 'done', text: doneText });
      reload();
    } catch (error) {
      setStatus({ status: 'failed', error });
    }
  };
  return { status, act, busy: status.status === 'busy' };
}
