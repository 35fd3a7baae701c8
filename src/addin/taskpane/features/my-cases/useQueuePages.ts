import { useState } from 'react';
import type { QueuePage, QueueRow } from '../../../../shared/view-types';
import type { CasesApi } from '../../../api/client';
import { useLoad } from '../../hooks/useLoad';

/** Pages read after the first one, kept only while the first page they follow is the one on screen. */
interface LaterPages {
  first: QueuePage;
  rows: QueueRow[];
  page: number;
  more: boolean;
}

/**
 * A view's cases, a page (100) at a time: the first page loads with the view, "Show more" appends the next. A case
 * that moved up a page between two reads (new cases arrived) is not shown twice. Reloading starts from page one.
 */
export function useQueuePages(api: Pick<CasesApi, 'queue'>, cvid: string) {
  const first = useLoad(cvid, (signal) => api.queue(cvid, signal));
  const [later, setLater] = useState<LaterPages | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const firstPage = first.state.status === 'ready' ? first.state.value : null;
  const current = later && later.first === firstPage ? later : null;
  const rows = firstPage ? [...firstPage.data, ...(current?.rows ?? [])] : [];
  const hasMore = current ? current.more : !!firstPage?.info.more_records;

  const loadMore = async () => {
    if (!firstPage || loadingMore) return;
    const page = (current?.page ?? 1) + 1;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const next = await api.queue(cvid, undefined, page);
      const seen = new Set(rows.map((r) => r.case.id));
      const added = next.data.filter((r) => !seen.has(r.case.id));
      setLater({
        first: firstPage,
        rows: [...(current?.rows ?? []), ...added],
        page,
        more: next.info.more_records,
      });
      return added.length;
    } catch (error) {
      setMoreError(error);
      return 0;
    } finally {
      setLoadingMore(false);
    }
  };
  return { first, rows, hasMore, loadMore, loadingMore, moreError };
}
