import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { QueuePage, QueueRow } from '../../../../../src/shared/view-types';
import { AnnouncerProvider } from '../../../../../src/addin/taskpane/components/Announcer';
import { MyCases } from '../../../../../src/addin/taskpane/features/my-cases/MyCases';
import { aCase, fakeApi, ME, renderIn } from '../../helpers';

const row = (id: number): QueueRow => ({
  case: aCase({ id: String(id), Subject: `Case ${id}`, Case_Number: String(id).padStart(8, '0') }),
  last_customer_message: null,
  escalation: null,
});
const page = (cvid: string, n: number, ids: number[], more: boolean): QueuePage => ({
  data: ids.map(row),
  info: { page: n, per_page: 100, count: ids.length, more_records: more, cvid },
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('My cases past the first 100', () => {
  it('"Show more" appends the next page once, without repeating a case that moved up, and is gone at the end', async () => {
    // A case arrived between the reads, so case 100 is the first of page 2 as well.
    const queue = jest.fn(async (cvid: string, _signal?: AbortSignal, n = 1) =>
      n === 1 ? page(cvid, 1, range(1, 100), true) : page(cvid, 2, [100, 101, 102], false),
    );
    renderIn(
      <AnnouncerProvider>
        <MyCases mailbox={null} openEmail={null} onBack={() => undefined} />
      </AnnouncerProvider>,
      { api: fakeApi({ queue }), session: { me: ME, users: [ME], fields: [] } },
    );
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(100));
    fireEvent.click(screen.getByTestId('queue-more'));
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(102));
    expect(queue).toHaveBeenLastCalledWith(expect.any(String), undefined, 2);
    expect(screen.queryByTestId('queue-more')).toBeNull();
    expect(screen.getByTestId('announcer')).toHaveTextContent('2 more cases shown');
  });
});
