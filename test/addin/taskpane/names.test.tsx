/** Issue 16, item 5: users by name wherever one appears: the timeline's owner changes, the Link-to-case rows. */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CaseTimeline } from '../../../src/addin/taskpane/features/case-detail/CaseTimeline';
import { CaseProvider } from '../../../src/addin/taskpane/features/case-detail/case-context';
import { LinkCase } from '../../../src/addin/taskpane/features/link-case/LinkCase';
import type { TimelineEntry } from '../../../src/shared/followup-types';
import { ME, OTHER, aCase, aMessage, fakeApi, renderIn } from './helpers';

jest.setTimeout(30_000);

const entry = (id: string, old: string | null, next: string | null, by = ME): TimelineEntry => ({
  id,
  action: 'updated',
  done_by: { id: by.id, name: by.full_name },
  audited_time: '2026-11-21T09:00:00.000Z',
  field_history: [{ api_name: 'Owner', _value: { old, new: next } }],
});

describe('names, not ids', () => {
  it('shows owner changes in the timeline by name, never by id', async () => {
    const api = fakeApi({
      timeline: async () => [
        entry('3', OTHER.id, '555', OTHER), // 555: not in the users list nor in the timeline
        entry('2', ME.id, OTHER.id),
        entry('1', null, ME.id),
      ],
    });
    renderIn(
      <CaseProvider caseId="1">
        <CaseTimeline />
      </CaseProvider>,
      { api, session: { users: [ME] } },
    );
    expect(await screen.findByText('Case Owner: — → Agent Smith')).toBeInTheDocument();
    // Bea is not among the loaded users, but the timeline names her as the author of an entry.
    expect(screen.getByText('Case Owner: Agent Smith → Bea Manager')).toBeInTheDocument();
    expect(screen.getByText('Case Owner: Bea Manager → another user')).toBeInTheDocument();
    expect(screen.getByTestId('case-timeline')).not.toHaveTextContent(/→ (100|101|555)\b/);
  });

  it('shows owner and last change on Link-to-case results, like the case cards', async () => {
    const api = fakeApi({
      searchCases: async (search) =>
        'word' in search
          ? [
              aCase({
                id: '9',
                Case_Number: '00000009',
                Owner: { id: OTHER.id, name: OTHER.full_name },
                Modified_Time: '2026-11-21T09:00:00.000Z',
              }),
            ]
          : [],
    });
    renderIn(<LinkCase message={aMessage()} linked={{ status: 'ready', cases: [] }} mailbox={null} />, {
      api,
    });
    await userEvent.type(screen.getByTestId('link-search-input'), 'printer{Enter}');
    const results = await screen.findByTestId('link-results');
    const meta = within(results).getByTestId('link-case-meta-00000009');
    expect(meta).toHaveTextContent('Owner: Bea Manager');
    expect(meta).toHaveTextContent(/Changed .*2026/);
  });
});
