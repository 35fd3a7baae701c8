import {
  LIMITS,
  STANDARD_FIELDS,
  caseFields,
  characterCount,
  truncateToLimit,
} from '../../src/shared/case-fields';
import { parseCustomFields } from '../../src/shared/custom-fields';
import { hasLoneSurrogate, singleLine, validateCase, wellFormed } from '../../src/shared/validation';

const fields = caseFields();
const base = { Subject: 'Printer jams', Case_Origin: 'Email', Email: 'anna@example.com' };
const create = (input: unknown) => validateCase(input, { fields, mode: 'create' });
const errorsOf = (input: unknown) => {
  const r = create(input);
  return r.ok ? [] : r.errors.map((e) => `${e.code}:${e.api_name}`);
};

describe('validateCase', () => {
  it('accepts a minimal email case and defaults Status to New', () => {
    const r = create(base);
    expect(r).toEqual({ ok: true, values: { ...base, Status: 'New' } });
  });

  it.each([
    ['Subject', LIMITS.Subject],
    ['Phone', LIMITS.Phone],
    ['Description', LIMITS.Description],
    ['Internal_Comments', LIMITS.Internal_Comments],
    ['Solution', LIMITS.Solution],
    ['Add_Comment', LIMITS.Add_Comment],
  ])('enforces the %s limit of %i characters exactly', (apiName, limit) => {
    expect(create({ ...base, [apiName]: 'x'.repeat(limit) }).ok).toBe(true);
    const r = create({ ...base, [apiName]: 'x'.repeat(limit + 1) });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors).toEqual([
        expect.objectContaining({ code: 'INVALID_DATA', api_name: apiName, maximum_length: limit }),
      ]);
  });

  it('counts characters, not UTF-16 units, so 255 Chinese characters or emoji fit the Subject', () => {
    expect(create({ ...base, Subject: '案'.repeat(255) }).ok).toBe(true);
    expect(create({ ...base, Subject: '😀'.repeat(255) }).ok).toBe(true);
    expect(errorsOf({ ...base, Subject: '😀'.repeat(256) })).toEqual(['INVALID_DATA:Subject']);
  });

  it('requires Subject, Case_Origin, and Email when the origin is Email', () => {
    expect(errorsOf({})).toEqual(['MANDATORY_NOT_FOUND:Subject', 'MANDATORY_NOT_FOUND:Case_Origin']);
    expect(errorsOf({ Subject: '  ', Case_Origin: 'Email' })).toEqual([
      'MANDATORY_NOT_FOUND:Subject',
      'MANDATORY_NOT_FOUND:Email',
    ]);
    expect(errorsOf({ Subject: 'a', Case_Origin: 'Phone' })).toEqual([]);
    expect(errorsOf({ ...base, Status: null })).toEqual(['MANDATORY_NOT_FOUND:Status']);
  });

  it.each([
    ['Status', 'Open'],
    ['Priority', 'Urgent'],
    ['Case_Origin', 'Fax'],
    ['Type', 'question'],
    ['Case_Reason', 'Other'],
  ])('refuses %s = %s (not in the picklist)', (apiName, value) => {
    expect(errorsOf({ ...base, [apiName]: value })).toEqual([`INVALID_DATA:${apiName}`]);
  });

  it('accepts every picklist value of the spec', () => {
    for (const field of STANDARD_FIELDS.filter((f) => f.type === 'picklist')) {
      for (const o of field.picklist ?? [])
        expect(create({ ...base, [field.apiName]: o.value }).ok).toBe(true);
    }
  });

  it('refuses unknown fields, read-only fields, wrong types and bad emails', () => {
    expect(errorsOf({ ...base, Colour: 'red' })).toEqual(['INVALID_DATA:Colour']);
    expect(errorsOf({ ...base, Case_Number: '1' })).toEqual(['INVALID_DATA:Case_Number']);
    expect(errorsOf({ ...base, Subject: 42 })).toEqual(['INVALID_DATA:Subject']);
    expect(errorsOf({ ...base, Email: 'not-an-email' })).toEqual(['INVALID_DATA:Email']);
    expect(errorsOf({ ...base, Owner: 'abc' })).toEqual(['INVALID_DATA:Owner']);
    expect(errorsOf({ ...base, Subject: 'a\u0000b' })).toEqual(['INVALID_DATA:Subject']);
    expect(errorsOf([base])).toEqual(['INVALID_DATA:data']);
  });

  it('reduces lookups to their id', () => {
    const r = create({ ...base, Owner: { id: '42', name: 'ignored' }, Related_To: 7 });
    expect(r.ok && [r.values.Owner, r.values.Related_To]).toEqual(['42', '7']);
  });

  it('on update checks only given fields but applies cross-field rules to the merged record', () => {
    const existing = { Subject: 'x', Status: 'New', Case_Origin: 'Phone', Email: null };
    expect(validateCase({ Priority: 'High' }, { fields, mode: 'update', existing }).ok).toBe(true);
    const r = validateCase({ Case_Origin: 'Email' }, { fields, mode: 'update', existing });
    expect(r.ok ? [] : r.errors.map((e) => e.api_name)).toEqual(['Email']);
    const cleared = validateCase({ Subject: '' }, { fields, mode: 'update', existing });
    expect(cleared.ok ? [] : cleared.errors.map((e) => e.code)).toEqual(['MANDATORY_NOT_FOUND']);
  });
});

describe('custom fields', () => {
  const custom = parseCustomFields({
    fields: [
      {
        api_name: 'Severity',
        label: { en: 'Severity', pl: 'Waga' },
        type: 'picklist',
        pick_list_values: ['S1', 'S2'],
      },
      { api_name: 'Serial_No', label: 'Serial number', type: 'text', length: 20, mandatory: true },
      { api_name: 'Due', label: 'Due', type: 'date' },
    ],
  });
  const all = caseFields(custom);

  it('are accepted and validated like standard fields', () => {
    const ok = validateCase(
      { ...base, Severity: 'S1', Serial_No: 'AB-1', Due: '2026-12-01' },
      { fields: all, mode: 'create' },
    );
    expect(ok.ok).toBe(true);
    const bad = validateCase(
      { ...base, Severity: 'S9', Serial_No: 'x'.repeat(21), Due: '2026-02-31' },
      { fields: all, mode: 'create' },
    );
    expect(bad.ok ? [] : bad.errors.map((e) => e.api_name)).toEqual(['Severity', 'Serial_No', 'Due']);
    const missing = validateCase(base, { fields: all, mode: 'create' });
    expect(missing.ok ? [] : missing.errors.map((e) => `${e.code}:${e.api_name}`)).toEqual([
      'MANDATORY_NOT_FOUND:Serial_No',
    ]);
  });

  it('refuses a config that reuses a standard name or has no limits', () => {
    expect(() => parseCustomFields({ fields: [{ api_name: 'Subject', label: 'x', type: 'text' }] })).toThrow(
      /already used/,
    );
    expect(() =>
      parseCustomFields({ fields: [{ api_name: 'A', label: 'x', type: 'text', length: 10 ** 6 }] }),
    ).toThrow(/length/);
    expect(() => parseCustomFields({ fields: [{ api_name: 'B', label: 'x', type: 'lookup' }] })).toThrow(
      /type/,
    );
  });

  it('refuses JavaScript built-in names, which every plain object answers to', () => {
    for (const name of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf'])
      expect(() => parseCustomFields({ fields: [{ api_name: name, label: 'x', type: 'text' }] })).toThrow(
        /reserved/,
      );
    expect(
      parseCustomFields({ fields: [{ api_name: 'Constructor', label: 'x', type: 'text' }] }),
    ).toHaveLength(1);
  });

  it('does not see a field that was not given in Object’s members', () => {
    const update = validateCase({ Severity: 'S2' }, { fields: all, mode: 'update', existing: {} });
    expect(update.ok).toBe(true);
    expect(update.ok && Object.keys(update.values)).toEqual(['Severity']);
    expect(update.ok && 'constructor' in update.values).toBe(false);
  });
});

describe('text that is not Unicode, and line breaks', () => {
  it('refuses lone surrogates in text fields, naming the field; a pair is one character', () => {
    for (const bad of ['a\ud800', '\udc00', '\udfff\ud800', 'x\ud83d'])
      expect(validateCase({ ...base, Subject: bad }, { fields, mode: 'create' })).toEqual({
        ok: false,
        errors: [expect.objectContaining({ code: 'INVALID_DATA', api_name: 'Subject' })],
      });
    expect(validateCase({ ...base, Subject: 'ok 😀' }, { fields, mode: 'create' }).ok).toBe(true);
    expect(hasLoneSurrogate('😀')).toBe(false);
    expect(wellFormed('a\ud800b\udc00')).toBe('a\ufffdb\ufffd');
  });

  it('replaces line breaks in single-line fields by a space and keeps them in multi-line ones', () => {
    const r = validateCase(
      { ...base, Subject: 'a\r\nb\nc\rd\u2028e', Reported_By: 'Jan\nNowak', Description: 'l1\r\nl2' },
      { fields, mode: 'create' },
    );
    expect(r.ok && [r.values.Subject, r.values.Reported_By, r.values.Description]).toEqual([
      'a b c d e',
      'Jan Nowak',
      'l1\r\nl2',
    ]);
    expect(singleLine('x\r\n\r\ny')).toBe('x  y');
  });
});

describe('text helpers', () => {
  it('truncates on code points', () => {
    expect(truncateToLimit('ab😀cd', 3)).toEqual({ text: 'ab😀', truncated: true });
    expect(truncateToLimit('abc', 3)).toEqual({ text: 'abc', truncated: false });
    expect(characterCount('中文😀')).toBe(3);
  });
});
