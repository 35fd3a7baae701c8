import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Z from '@zohocrm/typescript-sdk-6.0';
import { ENGINES, startTestServer, type TestServer } from './harness';

/**
 * Zoho's own TypeScript SDK for CRM v6, set up as its README says and never patched, against the real server over
 * real HTTP: an Environment whose URL is ours, an access token our server minted, a file token store and resource
 * path in a temp dir. With autoRefreshFields off the SDK reads each module's fields when it first needs them; with
 * it on it also reads settings/modules first (and caches the lot in the resource path).
 */

jest.setTimeout(60_000);

type Wrapper<T> = { getData(): T[] };
type Choice = { getValue(): unknown };
type ZohoException = {
  getCode(): Choice;
  getDetails(): Map<string, unknown>;
  getMessage(): Choice;
  getStatus(): Choice;
};

function isException(value: unknown): value is ZohoException {
  return (
    value instanceof Z.Record.APIException ||
    value instanceof Z.Notes.APIException ||
    value instanceof Z.RecordsRelated.APIException
  );
}

/** What a write answered: each record's success id, or the exception the SDK built for it. */
function actionResults(object: unknown): { ids: string[]; exceptions: ZohoException[] } {
  if (isException(object)) return { ids: [], exceptions: [object] };
  const data = (object as Wrapper<unknown>).getData();
  const ids: string[] = [];
  const exceptions: ZohoException[] = [];
  for (const item of data) {
    if (isException(item)) exceptions.push(item);
    else ids.push(String((item as { getDetails(): Map<string, unknown> }).getDetails().get('id')));
  }
  return { ids, exceptions };
}

function describeException(e: ZohoException): string {
  return `${String(e.getCode().getValue())}: ${String(e.getMessage().getValue())} ${JSON.stringify(
    Object.fromEntries(e.getDetails() ?? new Map()),
  )}`;
}

function expectSuccess(object: unknown): string[] {
  const { ids, exceptions } = actionResults(object);
  if (exceptions.length) throw new Error(exceptions.map(describeException).join('; '));
  return ids;
}

function records(object: unknown): Z.Record.Record[] {
  if (isException(object)) throw new Error(describeException(object));
  return (object as Wrapper<Z.Record.Record>).getData();
}

async function params(entries: [Z.Param<unknown>, unknown][]): Promise<Z.ParameterMap> {
  const map = new Z.ParameterMap();
  for (const [param, value] of entries) await map.add(param, value);
  return map;
}

function caseRecord(values: Record<string, unknown>): Z.Record.Record {
  const record = new Z.Record.Record();
  for (const [key, value] of Object.entries(values)) record.addKeyValue(key, value);
  return record;
}

async function body(list: Z.Record.Record[]): Promise<Z.Record.BodyWrapper> {
  const wrapper = new Z.Record.BodyWrapper();
  wrapper.setData(list);
  return wrapper;
}

const GET = Z.Record.GetRecordsParam;
const SEARCH = Z.Record.SearchRecordsParam;

describe.each(ENGINES)('Zoho SDK (@zohocrm/typescript-sdk-6.0) on %s', (engine) => {
  describe.each([false, true])('autoRefreshFields %s', (autoRefresh) => {
    let t: TestServer;
    let dir: string;
    let me: { id: string; email: string; full_name: string };
    let caseId: bigint;
    const cases = new Z.Record.RecordOperations('Cases');

    beforeAll(async () => {
      t = await startTestServer(engine);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-zoho-sdk-'));
      const accessToken = await t.token('manager', 'sdk.manager@example.com', 'Sam Dekker');
      me = (await t.call('GET', '/crm/v6/users?type=CurrentUser', { token: accessToken })).body.users[0];
      await (
        await new Z.InitializeBuilder()
      )
        .environment(new Z.Environment(t.url, `${t.url}/oauth/v2/token`, t.url))
        .token(new Z.OAuthBuilder().accessToken(accessToken).build())
        .store(new Z.FileStore(path.join(dir, 'tokens.txt')))
        .SDKConfig(new Z.SDKConfigBuilder().autoRefreshFields(autoRefresh).pickListValidation(false).build())
        // The SDK joins "resources/" to this path without a separator in one place (related lists), so end it with one.
        .resourcePath(`${dir}/`)
        .logger(new Z.LogBuilder().level(Z.Levels.OFF).filePath(path.join(dir, 'sdk.log')).build())
        .initialize();
    });
    afterAll(async () => {
      await t?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('creates a case with an owner given as a MinifiedUser', async () => {
      const owner = new Z.Users.MinifiedUser();
      owner.setId(BigInt(me.id));
      const record = caseRecord({
        Subject: 'Printer on floor 3 jams',
        Status: new Z.Choice('New'),
        Case_Origin: new Z.Choice('Email'),
        Email: 'anna.nowak@example.pl',
        Description: 'Paper jam on every print',
      });
      record.addKeyValue('Owner', owner);
      const response = await cases.createRecords(await body([record]));
      expect(response.getStatusCode()).toBe(201);
      const [id] = expectSuccess(response.getObject());
      caseId = BigInt(id);
    });

    it('gets the case back, owner as a MinifiedUser', async () => {
      const response = await cases.getRecord(caseId);
      expect(response.getStatusCode()).toBe(200);
      const [record] = records(response.getObject());
      expect(record.getKeyValue('Subject')).toBe('Printer on floor 3 jams');
      const owner = record.getKeyValue('Owner') as Z.Users.MinifiedUser;
      expect(owner).toBeInstanceOf(Z.Users.MinifiedUser);
      expect(String(owner.getId())).toBe(me.id);
      expect(owner.getName()).toBe('Sam Dekker');
    });

    it('updates the case', async () => {
      const record = caseRecord({ Status: new Z.Choice('Escalated'), Priority: new Z.Choice('High') });
      const response = await cases.updateRecord(caseId, await body([record]));
      expect(response.getStatusCode()).toBe(200);
      expectSuccess(response.getObject());
      const [stored] = records((await cases.getRecord(caseId)).getObject());
      expect((stored.getKeyValue('Status') as Z.Choice<string>).getValue()).toBe('Escalated');
    });

    it('lists with page, per_page, fields and sort', async () => {
      const more = [1, 2, 3].map((n) =>
        caseRecord({
          Subject: `Listed case ${n}`,
          Status: new Z.Choice('New'),
          Case_Origin: new Z.Choice('Web'),
        }),
      );
      expectSuccess((await cases.createRecords(await body(more))).getObject());
      const response = await cases.getRecords(
        await params([
          [GET.PAGE, 2],
          [GET.PER_PAGE, 2],
          [GET.FIELDS, 'Subject,Status'],
          [GET.SORT_BY, 'Subject'],
          [GET.SORT_ORDER, 'asc'],
        ]),
      );
      expect(response.getStatusCode()).toBe(200);
      const object = response.getObject() as Z.Record.ResponseWrapper;
      const page = records(object);
      // Sorted by subject: "Listed case 1..3", "Printer ..." → page 2 of 2 holds "Listed case 3" and "Printer ...".
      expect(page.map((r) => r.getKeyValue('Subject'))).toEqual(['Listed case 3', 'Printer on floor 3 jams']);
      expect([...page[0].getKeyValues().keys()].sort()).toEqual(['Status', 'Subject', 'id']);
      expect(object.getInfo().getMoreRecords()).toBe(false);
    });

    it('searches by email, word and criteria', async () => {
      const byEmail = await cases.searchRecords(await params([[SEARCH.EMAIL, 'anna.nowak@example.pl']]));
      expect(records(byEmail.getObject()).map((r) => String(r.getId()))).toEqual([String(caseId)]);
      const byWord = await cases.searchRecords(await params([[SEARCH.WORD, 'jams']]));
      expect(records(byWord.getObject()).map((r) => String(r.getId()))).toEqual([String(caseId)]);
      const byCriteria = await cases.searchRecords(
        await params([[SEARCH.CRITERIA, '((Status:equals:Escalated)and(Priority:equals:High))']]),
      );
      expect(records(byCriteria.getObject()).map((r) => String(r.getId()))).toEqual([String(caseId)]);
    });

    it('creates a note through /Notes with Parent_Id and lists it as a related record', async () => {
      const parent = new Z.Record.Record();
      parent.setId(caseId);
      const module = new Z.Modules.MinifiedModule();
      module.setAPIName('Cases');
      parent.addKeyValue('module', module);
      const note = new Z.Notes.Note();
      note.setNoteTitle('Called back');
      note.setNoteContent('Customer will replace the drum');
      note.setParentId(parent);
      const wrapper = new Z.Notes.BodyWrapper();
      wrapper.setData([note]);
      const created = await new Z.Notes.NotesOperations().createNotes(wrapper);
      expect(created.getStatusCode()).toBe(201);
      expectSuccess(created.getObject());

      const listed = await new Z.Notes.NotesOperations().getNotes(
        await params([[Z.Notes.GetNotesParam.FIELDS, 'Note_Title,Note_Content,Parent_Id']]),
      );
      expect(listed.getStatusCode()).toBe(200);
      const notes = (listed.getObject() as Z.Notes.ResponseWrapper).getData();
      expect(notes.map((n) => n.getNoteContent())).toEqual(['Customer will replace the drum']);

      const related = await new Z.RecordsRelated.RelatedRecordsOperations('Notes', 'Cases').getRelatedRecords(
        caseId,
      );
      expect(related.getStatusCode()).toBe(200);
      const relatedNotes = (related.getObject() as Z.RecordsRelated.ResponseWrapper).getData();
      expect(relatedNotes.map((r) => r.getKeyValue('Note_Title'))).toEqual(['Called back']);
    });

    it('refuses a Subject of 256 characters as INVALID_DATA naming Subject', async () => {
      const response = await cases.createRecords(
        await body([
          caseRecord({
            Subject: 'x'.repeat(256),
            Status: new Z.Choice('New'),
            Case_Origin: new Z.Choice('Email'),
          }),
        ]),
      );
      expect(response.getStatusCode()).toBe(400);
      const { exceptions } = actionResults(response.getObject());
      expect(exceptions).toHaveLength(1);
      expect(exceptions[0].getCode().getValue()).toBe('INVALID_DATA');
      expect(exceptions[0].getDetails().get('api_name')).toBe('Subject');
    });

    it('refuses an unknown Status as INVALID_DATA naming Status', async () => {
      const response = await cases.updateRecord(
        caseId,
        await body([caseRecord({ Status: new Z.Choice('Sleeping') })]),
      );
      expect(response.getStatusCode()).toBe(400);
      const { exceptions } = actionResults(response.getObject());
      expect(exceptions).toHaveLength(1);
      expect(exceptions[0].getCode().getValue()).toBe('INVALID_DATA');
      expect(exceptions[0].getDetails().get('api_name')).toBe('Status');
    });

    it('upserts on Email, reads by ids and counts', async () => {
      const wrapper = await body([
        caseRecord({
          Subject: 'Printer on floor 3 jams',
          Email: 'anna.nowak@example.pl',
          Priority: new Z.Choice('Low'),
        }),
      ]);
      wrapper.setDuplicateCheckFields(['Email']);
      const upserted = await cases.upsertRecords(wrapper);
      expect(upserted.getStatusCode()).toBe(200);
      const [result] = (
        upserted.getObject() as Z.Record.ActionWrapper
      ).getData() as Z.Record.SuccessResponse[];
      expect(result).toBeInstanceOf(Z.Record.SuccessResponse);
      expect(result.getAction().getValue()).toBe('update');
      expect(result.getDuplicateField()).toBe('Email');
      expect(String(result.getDetails().get('id'))).toBe(String(caseId));

      const byIds = await cases.getRecords(await params([[GET.IDS, String(caseId)]]));
      expect(records(byIds.getObject()).map((r) => String(r.getId()))).toEqual([String(caseId)]);
      const count = await cases.recordCount(await params([[Z.Record.RecordCountParam.WORD, 'jams']]));
      expect(count.getStatusCode()).toBe(200);
      expect(Number((count.getObject() as Z.Record.CountWrapper).getCount())).toBe(1);
    });

    it('deletes the case', async () => {
      const response = await cases.deleteRecord(caseId);
      expect(response.getStatusCode()).toBe(200);
      expectSuccess(response.getObject());
      const gone = await cases.getRecord(caseId);
      expect(gone.getStatusCode()).toBe(404);
      const deleted = await cases.getDeletedRecords(
        await params([[Z.Record.GetDeletedRecordsParam.TYPE, 'all']]),
      );
      expect(deleted.getStatusCode()).toBe(200);
      const [entry] = (deleted.getObject() as Z.Record.DeletedRecordsWrapper).getData();
      expect(String(entry.getId())).toBe(String(caseId));
      expect(entry.getDisplayName()).toBe('Printer on floor 3 jams');
      expect(entry.getDeletedBy().getName()).toBe('Sam Dekker');
    });
  });
});
