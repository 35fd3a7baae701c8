import {
  FluentProvider,
  RendererProvider,
  createDOMRenderer,
  webLightTheme,
} from '@fluentui/react-components';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { CasesApi } from '../../../src/addin/api/client';
import { I18nProvider } from '../../../src/addin/i18n';
import type { HostTheme, MailHost, OpenMessage } from '../../../src/addin/office/types';
import type {
  CaseRecord,
  ContactRecord,
  FieldMetadata,
  LinkedCaseSummary,
  UserRecord,
} from '../../../src/shared/api-types';
import { STANDARD_FIELDS, type Language } from '../../../src/shared/case-fields';
import { createCaseDraftStore, createDraftStore, type DraftStore } from '../../../src/addin/storage/drafts';
import {
  ServicesProvider,
  SessionProvider,
  type PaneServices,
  type PaneSession,
} from '../../../src/addin/taskpane/services';

/**
 * Griffel without its CSS rules: jsdom's getComputedStyle (called by Fluent's popup positioning and focus
 * management) walks every rule in the document, which made a form with a few Dropdowns take seconds per click.
 * These tests check behaviour, not styling; the browser tests see the real CSS.
 */
const unstyled = createDOMRenderer(document, { unstable_filterCSSRule: () => false });

/** What a component reads from the pane's contexts, where a test wants its own (the rest is a default). */
export interface PaneContext {
  language?: Language;
  /** A full fake (fakeApi) or just the members the component calls. */
  api?: Partial<CasesApi>;
  host?: MailHost;
  drafts?: DraftStore;
  caseDrafts?: DraftStore;
  session?: Partial<PaneSession>;
}

/** Render inside the pane's providers; `rerender` keeps them (same component instances, new props). */
export function renderIn(ui: ReactElement, context: Language | PaneContext = 'en') {
  const c: PaneContext = typeof context === 'string' ? { language: context } : context;
  // Built once: a rerender keeps the same services, as the pane does.
  const services: PaneServices = {
    api: (c.api ?? fakeApi()) as CasesApi,
    host: c.host ?? fakeHost(aMessage()),
    drafts: c.drafts ?? createDraftStore(),
    caseDrafts: c.caseDrafts ?? createCaseDraftStore(null),
  };
  const session: PaneSession = { me: ME, users: [ME, OTHER], fields: [...STANDARD_FIELDS], ...c.session };
  const wrap = (element: ReactElement) => (
    <RendererProvider renderer={unstyled} targetDocument={document}>
      <FluentProvider theme={webLightTheme}>
        <I18nProvider language={c.language ?? 'en'}>
          <ServicesProvider services={services}>
            <SessionProvider session={session}>{element}</SessionProvider>
          </ServicesProvider>
        </I18nProvider>
      </FluentProvider>
    </RendererProvider>
  );
  const view = render(wrap(ui));
  return { ...view, services, rerender: (element: ReactElement) => view.rerender(wrap(element)) };
}

export function aMessage(overrides: Partial<OpenMessage> = {}): OpenMessage {
  return {
    itemId: 'item-1',
    internetMessageId: '<m1@mail.example>',
    conversationId: 'conv-1',
    subject: 'Printer offline',
    from: { name: 'Anna Kowalska', email: 'anna@example.com' },
    to: [{ name: 'Support', email: 'support@casepane.test' }],
    cc: [],
    receivedTime: '2026-11-20T10:15:00.000Z',
    bodyText: 'Hello,\nmy printer is offline.',
    attachments: [],
    ...overrides,
  };
}

export const ME: UserRecord = {
  id: '100',
  full_name: 'Agent Smith',
  email: 'agent@casepane.test',
  role: { name: 'agent' },
  status: 'active',
};
export const OTHER: UserRecord = {
  id: '101',
  full_name: 'Bea Manager',
  email: 'bea@casepane.test',
  role: { name: 'manager' },
  status: 'active',
};

export const ANNA: ContactRecord = {
  id: '500',
  First_Name: 'Anna',
  Last_Name: 'Kowalska',
  Full_Name: 'Anna Kowalska',
  Email: 'anna@example.com',
  Phone: null,
  Account_Name: { id: '700', name: 'Acme Sp. z o.o.' },
};

export function aSummary(overrides: Partial<LinkedCaseSummary> = {}): LinkedCaseSummary {
  return {
    id: '1',
    Case_Number: '00000001',
    Subject: 'Printer offline',
    Status: 'New',
    Priority: 'High',
    Owner: { id: ME.id, name: ME.full_name },
    Modified_Time: '2026-11-21T09:00:00.000Z',
    match: 'message',
    ...overrides,
  };
}

export function aCase(overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    id: '1',
    Case_Number: '00000001',
    Subject: 'Printer offline',
    Status: 'New',
    Priority: null,
    Case_Origin: 'Email',
    Type: null,
    Case_Reason: null,
    Email: 'anna@example.com',
    Phone: null,
    Reported_By: null,
    Description: null,
    Internal_Comments: null,
    Solution: null,
    Add_Comment: null,
    Owner: { id: ME.id, name: ME.full_name },
    Related_To: null,
    Account_Name: null,
    Product_Name: null,
    Deal_Name: null,
    Created_Time: '2026-11-21T09:00:00.000Z',
    Modified_Time: '2026-11-21T09:00:00.000Z',
    Created_By: { id: ME.id, name: ME.full_name },
    Modified_By: { id: ME.id, name: ME.full_name },
    ...overrides,
  } as CaseRecord;
}

export type FakeApi = { [K in keyof CasesApi]: jest.MockedFunction<CasesApi[K]> };

const fn = <K extends keyof CasesApi>(impl: CasesApi[K]) =>
  jest.fn(impl as (...args: never[]) => unknown) as unknown as jest.MockedFunction<CasesApi[K]>;

export function fakeApi(overrides: Partial<{ [K in keyof CasesApi]: CasesApi[K] }> = {}): FakeApi {
  const defaults: CasesApi = {
    linkedCases: async () => [],
    createCaseFromEmail: async () => ({ id: '42', caseNumber: '00001234', duplicate: false }),
    linkEmailToCase: async () => undefined,
    getCase: async () => null,
    searchCases: async () => [],
    searchContacts: async () => [ANNA],
    createContact: async () => '501',
    currentUser: async () => ME,
    customViews: async () => [],
    createCustomView: async () => '9001',
    queue: async (cvid) => ({
      data: [],
      info: { page: 1, per_page: 100, count: 0, more_records: false, cvid },
    }),
    activeUsers: async () => [ME, OTHER],
    caseFields: async () => [],
    updateCase: async (_id, _changes, version) => ({
      version: version + 1,
      modifiedTime: '2026-11-22T10:00:00.000Z',
    }),
    timeline: async () => [],
    notes: async () => [],
    addNote: async () => '900',
    activities: async () => [],
    addActivity: async () => '901',
    completeActivity: async () => undefined,
    caseEmails: async () => [],
    unlinkEmail: async () => undefined,
    moveEmail: async () => undefined,
    attachments: async () => [],
    uploadAttachment: async () => '902',
    downloadAttachment: async () => new Blob(['x']),
    cloneCase: async () => ({ id: '77', caseNumber: '00000077' }),
    publishSolution: async () => ({ id: '903', number: '00000003' }),
    caseSolutions: async () => [],
    searchSolutions: async () => [],
    emailTemplates: async () => [],
    mailboxes: async () => [],
    saveMailbox: async () => {
      throw new Error('no mailboxes in this fake');
    },
    deleteMailbox: async () => undefined,
    recordSentEmail: async () => undefined,
    sendCaseMail: async () => ({ id: '904', subject: 'Re: Printer offline [Case #00000001]', queued: false }),
    sendBulkMail: async () => [],
    saveLayout: async () => [],
    addCustomField: async () => undefined,
    assignmentRules: async () => [],
    addAssignmentRule: async () => '950',
    setAssignmentRuleActive: async () => undefined,
    deleteAssignmentRule: async () => undefined,
    escalationRules: async () => [],
    addEscalationRule: async () => '960',
    setEscalationRuleActive: async () => undefined,
    deleteEscalationRule: async () => undefined,
    addEmailTemplate: async () => '970',
    updateEmailTemplate: async () => undefined,
    deleteEmailTemplate: async () => undefined,
    setManager: async () => undefined,
  };
  const all = { ...defaults, ...overrides } as Record<string, unknown>;
  return Object.fromEntries(Object.keys(defaults).map((k) => [k, fn(all[k] as never)])) as unknown as FakeApi;
}

export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A MailHost whose selection the test drives. */
export function fakeHost(
  first: OpenMessage | null,
  options: { language?: string; theme?: HostTheme | null } = {},
) {
  let current = first;
  const listeners = new Set<() => void>();
  const host: MailHost & { select(message: OpenMessage | null): void } = {
    readCurrentMessage: jest.fn(async () => current),
    onSelectionChanged: (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    onThemeChanged: () => () => undefined,
    displayLanguage: () => options.language ?? 'en-US',
    theme: () => options.theme ?? null,
    supportsNestedAppAuth: () => false,
    userProfile: () => ({ name: ME.full_name, email: ME.email }),
    itemMode: () => (current ? 'read' : 'none'),
    canCopyAttachments: () => true,
    currentItemId: () => (current ? current.itemId : null),
    getAttachmentContent: jest.fn(async () => 'aGVsbG8='),
    readCompose: jest.fn(async () => ({ subject: '', to: [], cc: [] })),
    setComposeSubject: jest.fn(async () => undefined),
    insertComposeText: jest.fn(async () => undefined),
    addCaseCategory: jest.fn(async () => 'done' as const),
    removeCaseCategory: jest.fn(async () => 'done' as const),
    setCaseStatusCategory: jest.fn(async () => 'done' as const),
    supportsMultiSelect: () => false,
    canLoadOtherItems: () => false,
    displayMessageForm: () => false,
    canReply: () => current !== null,
    displayReply: jest.fn(async () => true),
    readSelectedMessages: jest.fn(async () => []),
    select(message) {
      current = message;
      listeners.forEach((l) => l());
    },
  };
  return host;
}

/** A field as GET /settings/fields describes it: a standard 255-character text field unless `over` says else. */
export const fieldMeta = (api_name: string, over: Partial<FieldMetadata> = {}): FieldMetadata => ({
  api_name,
  field_label: api_name,
  display_label: api_name,
  data_type: 'text',
  length: 255,
  system_mandatory: false,
  read_only: false,
  visible: true,
  custom_field: false,
  pick_list_values: [],
  lookup: null,
  translations: {},
  ...over,
});
