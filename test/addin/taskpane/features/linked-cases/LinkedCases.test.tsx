import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiFailure } from '../../../../../src/addin/api/errors';
import { LinkedCases } from '../../../../../src/addin/taskpane/features/linked-cases/LinkedCases';
import { LinkedCasesQuery, useLinkedCases } from '../../../../../src/addin/taskpane/features/linked-cases/useLinkedCases';
import type { CasesApi } from '../../../../../src/addin/api/client';
import type { LinkedCaseSummary } from '../../../../../src/shared/api-types';
import { aSummary, deferred, renderIn } from '../../helpers';

// Whole-form renders with Fluent are slow under jsdom on a busy machine; these are not timing tests.
jest.setTimeout(20_000);

function Harness({ api, query }: { api: Pick<CasesApi, 'linkedCases'>; query: LinkedCasesQuery | null }) {
  const { state, reload } = useLinkedCases(api, query);
  return <LinkedCases state={state} onRetry={reload} />;
}

const A: LinkedCasesQuery = { key: '<a@x>', internetMessageId: '<a@x>', conversationId: 'conv-a' };
const B: LinkedCasesQuery = { key: '<b@x>', internetMessageId: '<b@x>', conversationId: 'conv-b' };

/** An API whose answers the test releases one by one, recording each request's abort signal. */
function controlledApi() {
  const calls: { id: string; signal?: AbortSignal; answer: ReturnType<typeof deferred<LinkedCaseSummary[]>> }[] = [];
  const api = {
    linkedCases: jest.fn((message: { internetMessageId: string }, signal?: AbortSignal) => {
      const answer = deferred<LinkedCaseSummary[]>();
      calls.push({ id: message.internetMessageId, signal, answer });
      return answer.promise;
    }),
  };
  return { api, calls };
}

describe('Linked cases', () => {
  it('shows number, subject, status badge, priority, owner and last change', async () => {
    const api = { linkedCases: jest.fn(async () => [aSummary({ Case_Number: '00001234', Status: 'Escalated', Priority: 'High', match: 'thread' })]) };
    renderIn(<Harness api={api} query={A} />);
    const item = await screen.findByTestId('linked-case-00001234');
    expect(item).toHaveTextContent('00001234');
    expect(item).toHaveTextContent('Printer offline');
    expect(within(item).getByText('Escalated')).toHaveAttribute('data-status', 'Escalated');
    expect(item).toHaveTextContent('Priority: High');
    expect(item).toHaveTextContent('Owner: Agent Smith');
    expect(item).toHaveTextContent(/Changed .*2026/);
    expect(item).toHaveTextContent('Linked through this conversation');
    expect(api.linkedCases).toHaveBeenCalledWith({ internetMessageId: '<a@x>', conversationId: 'conv-a' }, expect.any(AbortSignal));
  });

  it('says so when nothing is linked (204 → empty list)', async () => {
    renderIn(<Harness api={{ linkedCases: async () => [] }} query={A} />);
    expect(await screen.findByText('This email is not linked to any case yet.')).toBeInTheDocument();
  });

  it('never shows one message’s cases under another when answers arrive out of order', async () => {
    const { api, calls } = controlledApi();
    const view = renderIn(<Harness api={api} query={A} />);
    // Switch to B before A has answered.
    view.rerender(<Harness api={api} query={B} />);
    expect(calls.map((c) => c.id)).toEqual(['<a@x>', '<b@x>']);
    expect(calls[0].signal?.aborted).toBe(true);

    // A's (stale) answer arrives first: it must not be shown under B.
    await act(async () => calls[0].answer.resolve([aSummary({ id: 'a', Case_Number: '0000000A' })]));
    expect(screen.queryByTestId('linked-case-0000000A')).toBeNull();
    expect(screen.getByText('Looking for linked cases…')).toBeInTheDocument();

    await act(async () => calls[1].answer.resolve([aSummary({ id: 'b', Case_Number: '0000000B' })]));
    expect(screen.getByTestId('linked-case-0000000B')).toBeInTheDocument();
    expect(screen.queryByTestId('linked-case-0000000A')).toBeNull();
  });

  it('drops a stale answer that arrives after the current one', async () => {
    const { api, calls } = controlledApi();
    const view = renderIn(<Harness api={api} query={A} />);
    view.rerender(<Harness api={api} query={B} />);
    await act(async () => calls[1].answer.resolve([aSummary({ id: 'b', Case_Number: '0000000B' })]));
    await act(async () => calls[0].answer.resolve([aSummary({ id: 'a', Case_Number: '0000000A' })]));
    expect(screen.getByTestId('linked-case-0000000B')).toBeInTheDocument();
    expect(screen.queryByTestId('linked-case-0000000A')).toBeNull();
  });

  it('does not show the previous message’s answer while the new one loads (A → B → A)', async () => {
    const { api, calls } = controlledApi();
    const view = renderIn(<Harness api={api} query={A} />);
    await act(async () => calls[0].answer.resolve([aSummary({ id: 'a', Case_Number: '0000000A' })]));
    expect(screen.getByTestId('linked-case-0000000A')).toBeInTheDocument();
    view.rerender(<Harness api={api} query={B} />);
    expect(screen.queryByTestId('linked-case-0000000A')).toBeNull();
    view.rerender(<Harness api={api} query={A} />);
    await act(async () => calls[1].answer.resolve([aSummary({ id: 'b', Case_Number: '0000000B' })]));
    expect(screen.queryByTestId('linked-case-0000000B')).toBeNull();
    await act(async () => calls[2].answer.resolve([aSummary({ id: 'a2', Case_Number: '0000000C' })]));
    expect(screen.getByTestId('linked-case-0000000C')).toBeInTheDocument();
  });

  it('shows an error with Retry, and Retry asks again', async () => {
    const api = { linkedCases: jest.fn().mockRejectedValueOnce(new ApiFailure('server', 'boom', { status: 500 })).mockResolvedValueOnce([aSummary()]) };
    renderIn(<Harness api={api} query={A} />);
    expect(await screen.findByText(/Could not load the linked cases: The Cases service had a problem \(HTTP 500\)/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('linked-case-00000001')).toBeInTheDocument();
    expect(api.linkedCases).toHaveBeenCalledTimes(2);
  });

  it('renders subjects as text', async () => {
    renderIn(<Harness api={{ linkedCases: async () => [aSummary({ Subject: '<b onmouseover="x()">hi</b> javascript:alert(1)' })] }} query={A} />);
    expect(await screen.findByText('<b onmouseover="x()">hi</b> javascript:alert(1)')).toBeInTheDocument();
    expect(document.querySelector('b, a')).toBeNull();
  });
});
