/**
 * The add-in's one HTTP client: a single axios instance that adds the bearer token, re-authenticates once on 401,
 * treats 204 No Content as an empty list, and turns every failure into an ApiFailure.
 */
import axios, { AxiosInstance, AxiosRequestConfig, AxiosResponse } from 'axios';
import {
  API_BASE,
  ApiError,
  CaseInput,
  CaseRecord,
  ContactRecord,
  EmailMessageInput,
  FieldMetadata,
  FromEmailRequest,
  LinkedCaseSummary,
  RecordError,
  RecordResult,
  RecordSuccess,
  UserRecord,
} from '../../shared/api-types';
import type {
  AssignmentRule,
  AssignmentRuleInput,
  EscalationRule,
  EscalationRuleInput,
} from '../../shared/rule-types';
import type { ReportFilters, ReportName, ReportResponse } from '../../shared/report-types';
import type { FieldError } from '../../shared/validation';
import type { MailboxInput, MailboxRecord } from '../../shared/mailbox-types';
import type { CustomView, CustomViewInput, QueuePage } from '../../shared/view-types';
import { ApiFailure } from './errors';
import type {
  ActivityRecord,
  AttachmentRecord,
  EmailTemplate,
  NoteRecord,
  SolutionRecord,
  TimelineEntry,
} from '../../shared/followup-types';
import type {
  BulkMailResult,
  CaseEmailRecord,
  CaseMail,
  LayoutEntry,
  NewActivity,
  NewCustomField,
  NewNote,
  SentMail,
  UploadFile,
} from './records';

export interface TokenSource {
  /** A bearer token for the Cases API; forceRefresh skips any cached token (used after a 401). */
  getToken(options?: { forceRefresh?: boolean }): Promise<string>;
}

export interface AuthConfig {
  mode: 'local' | 'entra';
  tenantId?: string;
  clientId?: string;
  apiScope?: string;
}

export interface LocalToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export type CaseSearch = { word: string } | { email: string } | { criteria: string };

export interface CreatedCase {
  id: string;
  caseNumber: string;
  duplicate: boolean;
}

export interface NewContact {
  Last_Name: string;
  First_Name?: string;
  Email?: string;
  Phone?: string;
  Account_Name?: { id: string };
}

/** The endpoints the sign-in module needs (no bearer token). */
export interface AuthEndpoints {
  getAuthConfig(): Promise<AuthConfig>;
  getLocalToken(profile: { email: string; name?: string }): Promise<LocalToken>;
}

/**
 * The reports (GET /crm/v6/reports/<name>). Its own interface, so the test fakes of CasesApi need not grow; the
 * pane offers the Reports view when its client serves them (servesReports).
 */
export interface ReportsApi {
  report<N extends ReportName>(name: N, filters: ReportFilters): Promise<ReportResponse<N>>;
  /** The report as CSV (UTF-8 with a BOM, formula cells neutralised by the server). */
  reportCsv(name: ReportName, filters: ReportFilters): Promise<Blob>;
}

export function servesReports<T extends object>(api: T): api is T & ReportsApi {
  return typeof (api as Partial<ReportsApi>).report === 'function';
}

/** Query parameters of a report: only the filters that are set. */
function reportParams(filters: ReportFilters): Record<string, string> {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => typeof v === 'string' && v !== ''));
}

/** Everything the task pane asks of the backend; features receive this (or a part of it) as a prop. */
export interface CasesApi {
  /** Cases of this message, of its thread, or (with `subject`) the case its subject refers to ("[Case #00001234]"). */
  linkedCases(
    message: { internetMessageId: string; conversationId?: string; subject?: string },
    signal?: AbortSignal,
  ): Promise<LinkedCaseSummary[]>;
  /** `signal` lets the pane give up on a hanging save; the email's message id makes a retry safe (idempotent). */
  createCaseFromEmail(
    caseInput: CaseInput,
    message: EmailMessageInput,
    signal?: AbortSignal,
  ): Promise<CreatedCase>;
  linkEmailToCase(caseId: string, message: EmailMessageInput): Promise<void>;
  getCase(id: string, signal?: AbortSignal): Promise<CaseRecord | null>;
  searchCases(search: CaseSearch, signal?: AbortSignal): Promise<CaseRecord[]>;
  searchContacts(email: string, signal?: AbortSignal): Promise<ContactRecord[]>;
  createContact(contact: NewContact): Promise<string>;
  currentUser(): Promise<UserRecord | null>;
  activeUsers(): Promise<UserRecord[]>;
  caseFields(): Promise<FieldMetadata[]>;

  /** PUT /Cases/{id} with `$version`; a stale version fails with kind 'conflict'. Resolves with the new version. */
  updateCase(
    id: string,
    changes: CaseInput,
    version: number,
  ): Promise<{ version: number; modifiedTime: string }>;
  timeline(caseId: string, signal?: AbortSignal): Promise<TimelineEntry[]>;
  notes(caseId: string, signal?: AbortSignal): Promise<NoteRecord[]>;
  addNote(caseId: string, note: NewNote): Promise<string>;
  activities(caseId: string, which: 'open' | 'closed', signal?: AbortSignal): Promise<ActivityRecord[]>;
  addActivity(caseId: string, activity: NewActivity): Promise<string>;
  completeActivity(activityId: string): Promise<void>;
  caseEmails(caseId: string, signal?: AbortSignal): Promise<CaseEmailRecord[]>;
  unlinkEmail(caseId: string, linkId: string): Promise<void>;
  moveEmail(caseId: string, linkId: string, targetCaseId: string): Promise<void>;
  attachments(caseId: string, signal?: AbortSignal): Promise<AttachmentRecord[]>;
  uploadAttachment(caseId: string, file: UploadFile, sourceMessageId?: string): Promise<string>;
  downloadAttachment(caseId: string, attachmentId: string): Promise<Blob>;
  cloneCase(caseId: string): Promise<{ id: string; caseNumber: string }>;
  publishSolution(
    caseId: string,
    overrides?: { Solution_Title?: string; Status?: string },
  ): Promise<{ id: string; number: string }>;
  caseSolutions(caseId: string, signal?: AbortSignal): Promise<SolutionRecord[]>;
  searchSolutions(word: string, signal?: AbortSignal): Promise<SolutionRecord[]>;
  emailTemplates(): Promise<EmailTemplate[]>;
  /** Support mailboxes (admin): settings and status; secrets are never returned, only whether one is set. */
  mailboxes(): Promise<MailboxRecord[]>;
  saveMailbox(id: string | null, input: MailboxInput): Promise<MailboxRecord>;
  deleteMailbox(id: string): Promise<void>;
  /** Record a reply the agent sent from Outlook on its case (idempotent on the message's identity). */
  recordSentEmail(caseId: string, message: EmailMessageInput): Promise<void>;
  /** Admins: templates are saved whole (name, subject, body). */
  addEmailTemplate(template: Omit<EmailTemplate, 'id'>): Promise<string>;
  updateEmailTemplate(template: EmailTemplate): Promise<void>;
  deleteEmailTemplate(id: string): Promise<void>;
  sendCaseMail(caseId: string, mail: CaseMail): Promise<SentMail>;
  sendBulkMail(templateId: string, caseIds: string[]): Promise<BulkMailResult[]>;
  saveLayout(fields: LayoutEntry[]): Promise<FieldMetadata[]>;
  addCustomField(field: NewCustomField): Promise<void>;
  assignmentRules(): Promise<AssignmentRule[]>;
  addAssignmentRule(rule: AssignmentRuleInput): Promise<string>;
  setAssignmentRuleActive(rule: AssignmentRule, active: boolean): Promise<void>;
  deleteAssignmentRule(id: string): Promise<void>;
  escalationRules(): Promise<EscalationRule[]>;
  addEscalationRule(rule: EscalationRuleInput): Promise<string>;
  /** Activating one escalation rule deactivates the others (the server keeps one active). */
  setEscalationRuleActive(id: string, active: boolean): Promise<void>;
  deleteEscalationRule(id: string): Promise<void>;
  /** Admins: whom "the owner's manager" means for a user (null: nobody). */
  setManager(userId: string, managerId: string | null): Promise<void>;
  /** The built-in views, the agent's own and the team's shared ones (GET /settings/custom_views?module=Cases). */
  customViews(signal?: AbortSignal): Promise<CustomView[]>;
  /** Saves a view (private unless an admin shares it); returns its id. */
  createCustomView(view: CustomViewInput): Promise<string>;
  /** A page (100) of a view's cases with the last customer message and the escalation due time (GET /Cases/actions/queue). */
  queue(cvid: string, signal?: AbortSignal, page?: number): Promise<QueuePage>;
}

type Request = Omit<AxiosRequestConfig, 'auth'> & { bearer?: boolean };

/** Replaced by webpack's DefinePlugin with the build's CASEPANE_API_ORIGIN (the pane has no `process`). */
declare const __CASEPANE_API_ORIGIN__: string | undefined;

/** The API origin chosen at build time; '' means the pane's own origin. */
export function configuredApiOrigin(): string {
  // typeof: without the bundler (jest) the name is not defined at all.
  const origin = typeof __CASEPANE_API_ORIGIN__ === 'string' ? __CASEPANE_API_ORIGIN__ : '';
  return origin.replace(/\/+$/, '');
}

function isApiError(body: unknown): body is ApiError {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as ApiError).code === 'string' &&
    (body as ApiError).status === 'error'
  );
}

function recordResults(body: unknown): RecordResult[] | null {
  const data = (body as { data?: unknown } | null)?.data;
  return Array.isArray(data) && data.every((r) => typeof r === 'object' && r !== null && 'status' in r)
    ? (data as RecordResult[])
    : null;
}

/** Field errors of a Zoho-shaped record error: every one listed in details.errors, else the one in code/details. */
export function fieldErrorsOf(error: RecordError | ApiError): FieldError[] {
  const details = error.details as RecordError['details'];
  if (Array.isArray(details?.errors) && details.errors.length) return details.errors;
  if (
    typeof details?.api_name === 'string' &&
    (error.code === 'INVALID_DATA' || error.code === 'MANDATORY_NOT_FOUND')
  ) {
    return [
      {
        code: error.code,
        api_name: details.api_name,
        message: error.message,
        ...(typeof details.maximum_length === 'number' ? { maximum_length: details.maximum_length } : {}),
      },
    ];
  }
  return [];
}

function failureFromResponse(response: AxiosResponse): ApiFailure {
  const { status, data: body } = response;
  const apiError = isApiError(body) ? body : null;
  const records = recordResults(body);
  const firstError = records?.find((r): r is RecordError => r.status === 'error') ?? null;
  const message = apiError?.message ?? firstError?.message ?? `HTTP ${status}`;
  const code = apiError?.code ?? firstError?.code;
  const fieldErrors = firstError
    ? records!.filter((r): r is RecordError => r.status === 'error').flatMap(fieldErrorsOf)
    : apiError
      ? fieldErrorsOf(apiError)
      : [];
  if (status === 401) return new ApiFailure('unauthorized', message, { status, code });
  if (status === 403) return new ApiFailure('forbidden', message, { status, code });
  if (status === 429) {
    const retryAfter = Number(response.headers?.['retry-after']);
    return new ApiFailure('rate-limited', message, {
      status,
      code,
      ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
    });
  }
  if (status === 404) return new ApiFailure('not-found', message, { status, code });
  if (status === 409) {
    const current = (apiError?.details as { current_version?: unknown } | undefined)?.current_version;
    return new ApiFailure('conflict', message, {
      status,
      code,
      ...(typeof current === 'number' ? { currentVersion: current } : {}),
    });
  }
  if (status >= 500) return new ApiFailure('server', message, { status, code });
  return new ApiFailure('validation', message, { status, code, fieldErrors });
}

function failureFromThrown(error: unknown): ApiFailure {
  if (error instanceof ApiFailure) return error;
  if (axios.isCancel(error) || (axios.isAxiosError(error) && error.code === 'ERR_CANCELED')) {
    return new ApiFailure('aborted', 'request cancelled');
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ApiFailure('network', `The Cases service could not be reached (${message})`);
}

export class CasepaneApi implements CasesApi, ReportsApi, AuthEndpoints {
  /** The one axios instance of the add-in. */
  readonly http: AxiosInstance;
  private tokens: TokenSource | null = null;

  constructor(options: { origin?: string; timeoutMs?: number } = {}) {
    this.http = axios.create({
      baseURL: options.origin ?? configuredApiOrigin(),
      timeout: options.timeoutMs ?? 30_000,
      // Every status is handled below, so non-2xx responses are mapped rather than thrown as AxiosError.
      validateStatus: () => true,
      headers: { Accept: 'application/json' },
    });
  }

  useTokens(tokens: TokenSource): void {
    this.tokens = tokens;
  }

  private async token(forceRefresh: boolean): Promise<string> {
    if (!this.tokens) throw new ApiFailure('unauthorized', 'Not signed in');
    try {
      return await this.tokens.getToken({ forceRefresh });
    } catch (error) {
      if (error instanceof ApiFailure) {
        // A network failure while signing in is still a network failure (Retry helps); anything else is a sign-in failure.
        if (
          error.kind === 'network' ||
          error.kind === 'aborted' ||
          error.kind === 'rate-limited' ||
          error.kind === 'server'
        )
          throw error;
        throw new ApiFailure('unauthorized', error.message, error.details);
      }
      // A SignInError keeps its kind (cancelled, blocked, …) as the code, so the pane can say what to do.
      const kind =
        error instanceof Error && error.name === 'SignInError' ? (error as { kind?: unknown }).kind : null;
      throw new ApiFailure(
        'unauthorized',
        `Sign-in failed: ${error instanceof Error ? error.message : String(error)}`,
        typeof kind === 'string' ? { code: `SIGN_IN_${kind.toUpperCase().replace(/-/g, '_')}` } : {},
      );
    }
  }

  private async send(config: Request, forceRefresh: boolean): Promise<AxiosResponse> {
    const { bearer = true, ...rest } = config;
    const headers: Record<string, string> = { ...(rest.headers as Record<string, string> | undefined) };
    if (bearer) headers.Authorization = `Bearer ${await this.token(forceRefresh)}`;
    try {
      return await this.http.request({ ...rest, headers });
    } catch (error) {
      throw failureFromThrown(error);
    }
  }

  /** Sends a request; resolves with the body, or undefined for 204 No Content. */
  private async request<T>(config: Request): Promise<T | undefined> {
    let response = await this.send(config, false);
    if (response.status === 401 && config.bearer !== false && this.tokens) {
      // The token may have expired or been revoked: get a fresh one and try exactly once more.
      response = await this.send(config, true);
    }
    if (response.status === 204) return undefined;
    if (response.status < 200 || response.status >= 300) throw failureFromResponse(response);
    if (response.data === '' || response.data === undefined || response.data === null) return undefined;
    return response.data as T;
  }

  /** A write answered with {data:[RecordResult]}: the first result, or a validation failure with its field errors. */
  private async write(config: Request): Promise<RecordSuccess> {
    const body = await this.request<{ data?: RecordResult[] }>(config);
    const result = body?.data?.[0];
    if (!result) throw new ApiFailure('server', 'The Cases service gave an empty answer');
    if (result.status !== 'success') {
      throw new ApiFailure('validation', result.message, {
        code: result.code,
        fieldErrors: fieldErrorsOf(result),
      });
    }
    return result;
  }

  async getAuthConfig(): Promise<AuthConfig> {
    const body = await this.request<AuthConfig>({ method: 'GET', url: '/auth/config', bearer: false });
    if (!body || (body.mode !== 'local' && body.mode !== 'entra'))
      throw new ApiFailure('server', 'Unexpected sign-in configuration');
    return body;
  }

  async getLocalToken(profile: { email: string; name?: string }): Promise<LocalToken> {
    const body = await this.request<LocalToken>({
      method: 'POST',
      url: '/auth/local/token',
      data: profile,
      bearer: false,
    });
    if (!body?.access_token) throw new ApiFailure('unauthorized', 'The sign-in service returned no token');
    return body;
  }

  async linkedCases(
    message: { internetMessageId: string; conversationId?: string; subject?: string },
    signal?: AbortSignal,
  ): Promise<LinkedCaseSummary[]> {
    const params: Record<string, string> = { internet_message_id: message.internetMessageId };
    if (message.conversationId) params.conversation_id = message.conversationId;
    if (message.subject) params.subject = Array.from(message.subject).slice(0, 2000).join('');
    const body = await this.request<{ data: LinkedCaseSummary[] }>({
      method: 'GET',
      url: `${API_BASE}/Emails/cases`,
      params,
      signal,
    });
    return body?.data ?? [];
  }

  async createCaseFromEmail(
    caseInput: CaseInput,
    message: EmailMessageInput,
    signal?: AbortSignal,
  ): Promise<CreatedCase> {
    const payload: FromEmailRequest = { data: [{ case: caseInput, message }] };
    const result = await this.write({
      method: 'POST',
      url: `${API_BASE}/Cases/actions/from_email`,
      data: payload,
      signal,
    });
    return {
      id: result.details.id,
      caseNumber: result.details.Case_Number ?? '',
      duplicate: result.details.duplicate === true,
    };
  }

  async linkEmailToCase(caseId: string, message: EmailMessageInput): Promise<void> {
    await this.write({
      method: 'POST',
      url: `${API_BASE}/Cases/${encodeURIComponent(caseId)}/Emails`,
      data: { data: [message] },
    });
  }

  async getCase(id: string, signal?: AbortSignal): Promise<CaseRecord | null> {
    const body = await this.request<{ data: CaseRecord[] }>({
      method: 'GET',
      url: `${API_BASE}/Cases/${encodeURIComponent(id)}`,
      signal,
    });
    return body?.data?.[0] ?? null;
  }

  async searchCases(search: CaseSearch, signal?: AbortSignal): Promise<CaseRecord[]> {
    const body = await this.request<{ data: CaseRecord[] }>({
      method: 'GET',
      url: `${API_BASE}/Cases/search`,
      params: search,
      signal,
    });
    return body?.data ?? [];
  }

  async searchContacts(email: string, signal?: AbortSignal): Promise<ContactRecord[]> {
    const body = await this.request<{ data: ContactRecord[] }>({
      method: 'GET',
      url: `${API_BASE}/Contacts/search`,
      params: { email },
      signal,
    });
    return body?.data ?? [];
  }

  async createContact(contact: NewContact): Promise<string> {
    const result = await this.write({
      method: 'POST',
      url: `${API_BASE}/Contacts`,
      data: { data: [contact] },
    });
    return result.details.id;
  }

  async currentUser(): Promise<UserRecord | null> {
    const body = await this.request<{ users: UserRecord[] }>({
      method: 'GET',
      url: `${API_BASE}/users`,
      params: { type: 'CurrentUser' },
    });
    return body?.users?.[0] ?? null;
  }

  async activeUsers(): Promise<UserRecord[]> {
    const body = await this.request<{ users: UserRecord[] }>({
      method: 'GET',
      url: `${API_BASE}/users`,
      params: { type: 'ActiveUsers' },
    });
    return body?.users ?? [];
  }

  async caseFields(): Promise<FieldMetadata[]> {
    const body = await this.request<{ fields: FieldMetadata[] }>({
      method: 'GET',
      url: `${API_BASE}/settings/fields`,
      params: { module: 'Cases' },
    });
    return body?.fields ?? [];
  }

  private caseUrl(caseId: string, rest = ''): string {
    return `${API_BASE}/Cases/${encodeURIComponent(caseId)}${rest}`;
  }

  async updateCase(
    id: string,
    changes: CaseInput,
    version: number,
  ): Promise<{ version: number; modifiedTime: string }> {
    const result = await this.write({
      method: 'PUT',
      url: this.caseUrl(id),
      data: { data: [{ ...changes, $version: version }] },
    });
    const next = result.details.$version;
    return {
      version: typeof next === 'number' ? next : version + 1,
      modifiedTime: result.details.Modified_Time ?? '',
    };
  }

  async timeline(caseId: string, signal?: AbortSignal): Promise<TimelineEntry[]> {
    const body = await this.request<{ __timeline: TimelineEntry[] }>({
      method: 'GET',
      url: this.caseUrl(caseId, '/__timeline'),
      signal,
    });
    return body?.__timeline ?? [];
  }

  async notes(caseId: string, signal?: AbortSignal): Promise<NoteRecord[]> {
    const body = await this.request<{ data: NoteRecord[] }>({
      method: 'GET',
      url: this.caseUrl(caseId, '/Notes'),
      signal,
    });
    return body?.data ?? [];
  }

  async addNote(caseId: string, note: NewNote): Promise<string> {
    return (await this.write({ method: 'POST', url: this.caseUrl(caseId, '/Notes'), data: { data: [note] } }))
      .details.id;
  }

  async activities(
    caseId: string,
    which: 'open' | 'closed',
    signal?: AbortSignal,
  ): Promise<ActivityRecord[]> {
    const list = which === 'open' ? '/Open_Activities' : '/Closed_Activities';
    const body = await this.request<{ data: ActivityRecord[] }>({
      method: 'GET',
      url: this.caseUrl(caseId, list),
      signal,
    });
    return body?.data ?? [];
  }

  async addActivity(caseId: string, activity: NewActivity): Promise<string> {
    return (
      await this.write({
        method: 'POST',
        url: this.caseUrl(caseId, '/Activities'),
        data: { data: [activity] },
      })
    ).details.id;
  }

  async completeActivity(activityId: string): Promise<void> {
    await this.write({
      method: 'POST',
      url: `${API_BASE}/Activities/${encodeURIComponent(activityId)}/actions/complete`,
    });
  }

  async caseEmails(caseId: string, signal?: AbortSignal): Promise<CaseEmailRecord[]> {
    const body = await this.request<{ data: CaseEmailRecord[] }>({
      method: 'GET',
      url: this.caseUrl(caseId, '/Emails'),
      signal,
    });
    return body?.data ?? [];
  }

  async unlinkEmail(caseId: string, linkId: string): Promise<void> {
    await this.write({
      method: 'DELETE',
      url: this.caseUrl(caseId, `/Emails/${encodeURIComponent(linkId)}`),
    });
  }

  async moveEmail(caseId: string, linkId: string, targetCaseId: string): Promise<void> {
    await this.write({
      method: 'POST',
      url: this.caseUrl(caseId, `/Emails/${encodeURIComponent(linkId)}/actions/move`),
      data: { case_id: targetCaseId },
    });
  }

  async attachments(caseId: string, signal?: AbortSignal): Promise<AttachmentRecord[]> {
    const body = await this.request<{ data: AttachmentRecord[] }>({
      method: 'GET',
      url: this.caseUrl(caseId, '/Attachments'),
      signal,
    });
    return body?.data ?? [];
  }

  async uploadAttachment(caseId: string, file: UploadFile, sourceMessageId?: string): Promise<string> {
    const form = new FormData();
    // Fields before the file: the server reads them with the file part.
    if (sourceMessageId) form.append('source_message_id', sourceMessageId);
    form.append(
      'file',
      new Blob([file.data], { type: file.contentType || 'application/octet-stream' }),
      file.name,
    );
    return (await this.write({ method: 'POST', url: this.caseUrl(caseId, '/Attachments'), data: form }))
      .details.id;
  }

  async report<N extends ReportName>(name: N, filters: ReportFilters): Promise<ReportResponse<N>> {
    const body = await this.request<ReportResponse<N>>({
      method: 'GET',
      url: `/crm/v6/reports/${encodeURIComponent(name)}`,
      params: reportParams(filters),
    });
    if (!body?.data) throw new ApiFailure('server', 'The Cases service gave an empty answer');
    return body;
  }

  async reportCsv(name: ReportName, filters: ReportFilters): Promise<Blob> {
    const body = await this.request<Blob>({
      method: 'GET',
      url: `/crm/v6/reports/${encodeURIComponent(name)}`,
      params: { ...reportParams(filters), format: 'csv' },
      responseType: 'blob',
      headers: { Accept: 'text/csv' },
    });
    if (!body) throw new ApiFailure('server', 'The Cases service sent no file');
    return body;
  }

  async downloadAttachment(caseId: string, attachmentId: string): Promise<Blob> {
    const body = await this.request<Blob>({
      method: 'GET',
      url: this.caseUrl(caseId, `/Attachments/${encodeURIComponent(attachmentId)}`),
      responseType: 'blob',
      headers: { Accept: '*/*' },
    });
    if (!body) throw new ApiFailure('server', 'The Cases service sent no file');
    return body;
  }

  async cloneCase(caseId: string): Promise<{ id: string; caseNumber: string }> {
    const result = await this.write({ method: 'POST', url: this.caseUrl(caseId, '/actions/clone') });
    return { id: result.details.id, caseNumber: result.details.Case_Number ?? '' };
  }

  async publishSolution(
    caseId: string,
    overrides?: { Solution_Title?: string; Status?: string },
  ): Promise<{ id: string; number: string }> {
    const result = await this.write({
      method: 'POST',
      url: this.caseUrl(caseId, '/actions/publish_solution'),
      ...(overrides ? { data: { data: [overrides] } } : {}),
    });
    const number = result.details.Solution_Number;
    return { id: result.details.id, number: typeof number === 'string' ? number : '' };
  }

  async caseSolutions(caseId: string, signal?: AbortSignal): Promise<SolutionRecord[]> {
    const body = await this.request<{ data: SolutionRecord[] }>({
      method: 'GET',
      url: this.caseUrl(caseId, '/Solutions'),
      signal,
    });
    return body?.data ?? [];
  }

  async searchSolutions(word: string, signal?: AbortSignal): Promise<SolutionRecord[]> {
    const params: Record<string, string> = { status: 'Published' };
    if (word.trim()) params.word = Array.from(word.trim()).slice(0, 200).join('');
    const body = await this.request<{ data: SolutionRecord[] }>({
      method: 'GET',
      url: `${API_BASE}/Solutions/search`,
      params,
      signal,
    });
    return body?.data ?? [];
  }

  async mailboxes(): Promise<MailboxRecord[]> {
    const body = await this.request<{ mailboxes: MailboxRecord[] }>({
      method: 'GET',
      url: `${API_BASE}/settings/mailboxes`,
    });
    return body?.mailboxes ?? [];
  }

  /** POST (id null) or PUT one mailbox; the answer is {"mailboxes": [RecordResult with the record as details]}. */
  async saveMailbox(id: string | null, input: MailboxInput): Promise<MailboxRecord> {
    const body = await this.request<{ mailboxes: { details: MailboxRecord }[] }>({
      method: id === null ? 'POST' : 'PUT',
      url: `${API_BASE}/settings/mailboxes${id === null ? '' : `/${encodeURIComponent(id)}`}`,
      data: { mailboxes: [input] },
    });
    const record = body?.mailboxes?.[0]?.details;
    if (!record) throw new ApiFailure('server', 'The Cases service gave an empty answer');
    return record;
  }

  async recordSentEmail(caseId: string, message: EmailMessageInput): Promise<void> {
    await this.write({
      method: 'POST',
      url: `${API_BASE}/Cases/${encodeURIComponent(caseId)}/Emails/actions/record_sent`,
      data: { data: [message] },
    });
  }

  async deleteMailbox(id: string): Promise<void> {
    await this.request({ method: 'DELETE', url: `${API_BASE}/settings/mailboxes/${encodeURIComponent(id)}` });
  }

  async emailTemplates(): Promise<EmailTemplate[]> {
    const body = await this.request<{ email_templates: EmailTemplate[] }>({
      method: 'GET',
      url: `${API_BASE}/settings/email_templates`,
    });
    return body?.email_templates ?? [];
  }

  async addEmailTemplate(template: Omit<EmailTemplate, 'id'>): Promise<string> {
    const result = await this.write({
      method: 'POST',
      url: `${API_BASE}/settings/email_templates`,
      data: { data: [template] },
    });
    return result.details.id;
  }

  async updateEmailTemplate({ id, ...template }: EmailTemplate): Promise<void> {
    await this.write({
      method: 'PUT',
      url: `${API_BASE}/settings/email_templates/${encodeURIComponent(id)}`,
      data: { data: [template] },
    });
  }

  async deleteEmailTemplate(id: string): Promise<void> {
    await this.write({
      method: 'DELETE',
      url: `${API_BASE}/settings/email_templates/${encodeURIComponent(id)}`,
    });
  }

  async sendCaseMail(caseId: string, mail: CaseMail): Promise<SentMail> {
    const result = await this.write({
      method: 'POST',
      url: this.caseUrl(caseId, '/actions/send_mail'),
      data: { data: [mail] },
    });
    const subject = result.details.subject;
    return {
      id: result.details.id,
      subject: typeof subject === 'string' ? subject : '',
      queued: result.details.delivery === 'queued',
    };
  }

  async sendBulkMail(templateId: string, caseIds: string[]): Promise<BulkMailResult[]> {
    const body = await this.request<{ data: BulkMailResult[] }>({
      method: 'POST',
      url: `${API_BASE}/Cases/actions/send_mail`,
      data: { template_id: templateId, data: caseIds.map((id) => ({ id })) },
    });
    return body?.data ?? [];
  }

  async saveLayout(fields: LayoutEntry[]): Promise<FieldMetadata[]> {
    const body = await this.request<{ fields: FieldMetadata[] }>({
      method: 'PUT',
      url: `${API_BASE}/settings/layout`,
      params: { module: 'Cases' },
      data: { fields },
    });
    return body?.fields ?? [];
  }

  async customViews(signal?: AbortSignal): Promise<CustomView[]> {
    const body = await this.request<{ custom_views: CustomView[] }>({
      method: 'GET',
      url: `${API_BASE}/settings/custom_views`,
      params: { module: 'Cases' },
      signal,
    });
    return body?.custom_views ?? [];
  }

  async createCustomView(view: CustomViewInput): Promise<string> {
    const body = await this.request<{ custom_views: { details: { id: string } }[] }>({
      method: 'POST',
      url: `${API_BASE}/settings/custom_views`,
      params: { module: 'Cases' },
      data: { custom_views: [view] },
    });
    const id = body?.custom_views?.[0]?.details.id;
    if (!id) throw new ApiFailure('server', 'the server did not return the view id', {});
    return id;
  }

  async queue(cvid: string, signal?: AbortSignal, page = 1): Promise<QueuePage> {
    const body = await this.request<QueuePage>({
      method: 'GET',
      url: `${API_BASE}/Cases/actions/queue`,
      params: { cvid, per_page: 100, page },
      signal,
    });
    return body ?? { data: [], info: { page, per_page: 100, count: 0, more_records: false, cvid } };
  }

  async assignmentRules(): Promise<AssignmentRule[]> {
    const body = await this.request<{ assignment_rules: AssignmentRule[] }>({
      method: 'GET',
      url: `${API_BASE}/settings/assignment_rules`,
    });
    return body?.assignment_rules ?? [];
  }

  async addAssignmentRule(rule: AssignmentRuleInput): Promise<string> {
    const result = await this.write({
      method: 'POST',
      url: `${API_BASE}/settings/assignment_rules`,
      data: { data: [rule] },
    });
    return result.details.id;
  }

  async setAssignmentRuleActive(rule: AssignmentRule, active: boolean): Promise<void> {
    // The API replaces a rule whole; everything but `active` is sent back as it was.
    const input: AssignmentRuleInput = {
      name: rule.name,
      position: rule.position,
      criteria: rule.criteria,
      owner: rule.owner ? { id: rule.owner.id } : null,
      round_robin_users: rule.round_robin_users.map((u) => ({ id: u.id })),
      active,
    };
    await this.write({
      method: 'PUT',
      url: `${API_BASE}/settings/assignment_rules/${encodeURIComponent(rule.id)}`,
      data: { data: [input] },
    });
  }

  async deleteAssignmentRule(id: string): Promise<void> {
    await this.write({
      method: 'DELETE',
      url: `${API_BASE}/settings/assignment_rules/${encodeURIComponent(id)}`,
    });
  }

  async escalationRules(): Promise<EscalationRule[]> {
    const body = await this.request<{ escalation_rules: EscalationRule[] }>({
      method: 'GET',
      url: `${API_BASE}/settings/escalation_rules`,
    });
    return body?.escalation_rules ?? [];
  }

  async addEscalationRule(rule: EscalationRuleInput): Promise<string> {
    const result = await this.write({
      method: 'POST',
      url: `${API_BASE}/settings/escalation_rules`,
      data: { data: [rule] },
    });
    return result.details.id;
  }

  async setEscalationRuleActive(id: string, active: boolean): Promise<void> {
    await this.write({
      method: 'PUT',
      url: `${API_BASE}/settings/escalation_rules/${encodeURIComponent(id)}`,
      data: { data: [{ active }] },
    });
  }

  async deleteEscalationRule(id: string): Promise<void> {
    await this.write({
      method: 'DELETE',
      url: `${API_BASE}/settings/escalation_rules/${encodeURIComponent(id)}`,
    });
  }

  async setManager(userId: string, managerId: string | null): Promise<void> {
    await this.request({
      method: 'PUT',
      url: `${API_BASE}/users/${encodeURIComponent(userId)}`,
      data: { data: [{ manager: managerId === null ? null : { id: managerId } }] },
    });
  }

  async addCustomField(field: NewCustomField): Promise<void> {
    const body = await this.request<{ fields?: RecordResult[] }>({
      method: 'POST',
      url: `${API_BASE}/settings/fields`,
      params: { module: 'Cases' },
      data: { fields: [field] },
    });
    const failed = body?.fields?.find((r): r is RecordError => r.status === 'error');
    if (failed)
      throw new ApiFailure('validation', failed.message, {
        code: failed.code,
        fieldErrors: fieldErrorsOf(failed),
      });
  }
}

/** Zoho criteria values escape ( ) , and \ with a backslash. */
export function criteriaValue(value: string): string {
  return value.replace(/[\\(),]/g, (c) => `\\${c}`);
}
