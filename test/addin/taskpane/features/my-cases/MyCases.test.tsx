import { fireEvent, screen, waitFor } from '@testing-library/react';
import { STANDARD_FIELDS } from '../../../../../src/shared/case-fields';
import {
  BUILT_IN_VIEW_IDS,
  type CustomView,
  type CustomViewInput,
  type QueuePage,
  type QueueRow,
} from '../../../../../src/shared/view-types';
import { AnnouncerProvider } from '../../../../../src/addin/taskpane/components/Announcer';
import { MyCases } from '../../../../../src/addin/taskpane/features/my-cases/MyCases';
import { aCase, fakeApi, ME, OTHER, renderIn } from '../../helpers';

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

describe("a saved view's columns", () => {
  const view = (over: Partial<CustomView>): CustomView => ({
    id: '42',
    name: 'Phone cases',
    display_value: 'Phone cases',
    system_name: null,
    system_defined: false,
    default: false,
    category: 'created_by_me',
    access_type: 'only_to_me',
    sort_by: null,
    sort_order: null,
    criteria: null,
    search_criteria: null,
    fields: [],
    created_by: null,
    created_time: null,
    modified_time: null,
    editable: true,
    ...over,
  });
  const builtIn = view({
    id: BUILT_IN_VIEW_IDS.my_open,
    name: 'My open cases',
    system_name: 'MYOPENCASES',
    system_defined: true,
    category: 'public_views',
    fields: ['Case_Number', 'Subject', 'Status', 'Priority', 'Owner', 'Created_Time'].map((api_name) => ({
      api_name,
    })),
  });
  const saved = view({
    fields: ['Case_Number', 'Case_Origin', 'Subject', 'Owner', 'Gone'].map((api_name) => ({ api_name })),
  });

  function open(createCustomView = jest.fn(async () => '43')) {
    const queue = jest.fn(async (cvid: string) => ({
      data: [
        {
          case: aCase({ id: '1', Case_Origin: 'Phone', Owner: { id: OTHER.id, name: OTHER.full_name } }),
          last_customer_message: null,
          escalation: null,
        },
      ],
      info: { page: 1, per_page: 100, count: 1, more_records: false, cvid },
    }));
    renderIn(
      <AnnouncerProvider>
        <MyCases mailbox={null} openEmail={null} onBack={() => undefined} />
      </AnnouncerProvider>,
      {
        api: fakeApi({ queue, customViews: async () => [builtIn, saved], createCustomView }),
        language: 'pl',
      },
    );
    return { createCustomView };
  }

  it('shows a saved view’s own columns on each row, labelled and translated; built-in views keep their row', async () => {
    open();
    await screen.findByTestId('queue-row');
    expect(screen.queryByTestId('queue-columns')).toBeNull();
    fireEvent.click(screen.getByTestId('view-picker'));
    fireEvent.click(await screen.findByRole('option', { name: 'Phone cases' }));
    // Exactly these, in the view's order: Subject is on the row already, Gone is no longer in the layout.
    expect((await screen.findByTestId('queue-columns')).textContent).toBe(
      'Pochodzenie sprawy: Telefon · Właściciel sprawy: Bea Manager',
    );
  });

  it('saves the chosen columns after what every row shows, in the layout’s order', async () => {
    const { createCustomView } = open();
    await screen.findByTestId('queue-row');
    fireEvent.click(screen.getByTestId('save-view-toggle'));
    fireEvent.change(screen.getByTestId('save-view-name'), { target: { value: 'Mine by type' } });
    fireEvent.click(screen.getByTestId('save-view-columns'));
    // A multiselect Dropdown's options are menuitemcheckbox (the sort Select has native options of the same names).
    fireEvent.click(await screen.findByRole('menuitemcheckbox', { name: 'Rodzaj' }));
    fireEvent.click(screen.getByRole('menuitemcheckbox', { name: 'Pochodzenie sprawy' }));
    fireEvent.click(screen.getByTestId('save-view-submit'));
    await waitFor(() => expect(createCustomView).toHaveBeenCalled());
    const sent = (createCustomView.mock.calls[0] as unknown as [CustomViewInput])[0];
    const layoutOrder = STANDARD_FIELDS.map((f) => f.apiName).filter(
      (n) => n === 'Type' || n === 'Case_Origin',
    );
    expect(sent.fields?.map((f) => f.api_name)).toEqual([
      'Case_Number',
      'Subject',
      'Status',
      'Priority',
      'Created_Time',
      ...layoutOrder,
    ]);
  });
});
