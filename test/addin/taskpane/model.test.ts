import { fieldsFromMetadata } from '../../../src/addin/api/fields';
import {
  contactNameParts,
  formFields,
  prefillDraft,
  toCaseInput,
} from '../../../src/addin/taskpane/features/new-case/form-model';
import { toEmailMessageInput } from '../../../src/addin/taskpane/message-input';
import type { FieldMetadata } from '../../../src/shared/api-types';
import { STANDARD_FIELDS } from '../../../src/shared/case-fields';
import { MESSAGE_LIMITS } from '../../../src/shared/email-message';
import { aMessage } from './helpers';

const meta = (over: Partial<FieldMetadata>): FieldMetadata => ({
  api_name: 'X',
  field_label: 'X',
  display_label: 'X',
  data_type: 'text',
  length: null,
  system_mandatory: false,
  read_only: false,
  visible: true,
  custom_field: true,
  pick_list_values: [],
  lookup: null,
  translations: {},
  ...over,
});

describe('fields from metadata', () => {
  it('keeps the shared standard fields and adds custom fields with their types, limits and labels', () => {
    const fields = fieldsFromMetadata([
      meta({ api_name: 'Subject', custom_field: false, length: 10 }),
      meta({
        api_name: 'Ref',
        display_label: 'Ref',
        length: 20,
        translations: { pl: 'Nr', 'zh-CN': '编号' },
      }),
      meta({
        api_name: 'Tier',
        data_type: 'picklist',
        pick_list_values: [{ display_value: 'Gold', actual_value: 'gold' }],
        system_mandatory: true,
      }),
      meta({ api_name: 'Seats', data_type: 'double' }),
      meta({ api_name: 'Site', data_type: 'website' }),
      meta({ api_name: 'Auto', data_type: 'autonumber' }),
    ]);
    expect(fields.slice(0, STANDARD_FIELDS.length)).toEqual(STANDARD_FIELDS);
    const custom = fields.slice(STANDARD_FIELDS.length);
    expect(custom.map((f) => [f.apiName, f.type, f.maxLength])).toEqual([
      ['Ref', 'text', 20],
      ['Tier', 'picklist', undefined],
      ['Seats', 'number', undefined],
      ['Site', 'url', 255],
    ]);
    expect(custom[0].label).toEqual({ en: 'Ref', pl: 'Nr', 'zh-CN': '编号' });
    expect(custom[1]).toMatchObject({ mandatory: true, picklist: [{ value: 'gold' }] });
  });
});

describe('form model', () => {
  it('shows only fields the agent can set, subject first and custom fields last', () => {
    const names = formFields([
      ...STANDARD_FIELDS,
      { apiName: 'Ref', label: { en: 'R', pl: 'R', 'zh-CN': 'R' }, type: 'text' },
    ]).map((f) => f.apiName);
    expect(names[0]).toBe('Subject');
    expect(names[names.length - 1]).toBe('Ref');
    expect(names).not.toContain('Case_Number');
    expect(names).not.toContain('Product_Name');
  });

  it('converts custom numbers and booleans, and leaves blanks out', () => {
    const fields = [
      ...STANDARD_FIELDS,
      { apiName: 'Seats', label: { en: 'S', pl: 'S', 'zh-CN': 'S' }, type: 'number' as const },
      { apiName: 'Vip', label: { en: 'V', pl: 'V', 'zh-CN': 'V' }, type: 'boolean' as const },
    ];
    const draft = prefillDraft(aMessage(), fields);
    draft.values.Seats = '12';
    draft.values.Vip = 'true';
    draft.values.Priority = '';
    const input = toCaseInput(draft, fields);
    expect(input).toMatchObject({ Seats: 12, Vip: true });
    expect('Owner' in input).toBe(false); // left to the assignment rules
    expect('Priority' in input).toBe(false);
  });

  it('splits a sender name for a new contact', () => {
    expect(contactNameParts('Anna Maria Kowalska', 'a@x.com')).toEqual({
      First_Name: 'Anna Maria',
      Last_Name: 'Kowalska',
    });
    expect(contactNameParts('王芳', 'w@x.com')).toEqual({ Last_Name: '王芳' });
    expect(contactNameParts('  ', 'jan.nowak@x.com')).toEqual({ Last_Name: 'jan.nowak' });
  });
});

describe('message for the API', () => {
  it('drops undeliverable recipients and cuts long text to the API limits', () => {
    const input = toEmailMessageInput(
      aMessage({
        to: [
          { name: 'Support', email: 'support@casepane.test' },
          { name: 'Legacy', email: '/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP' },
        ],
        bodyText: 'x'.repeat(MESSAGE_LIMITS.body_text + 10),
        subject: 's'.repeat(MESSAGE_LIMITS.subject + 1),
      }),
      'agent@casepane.test',
    );
    expect(input.to).toEqual([{ name: 'Support', email: 'support@casepane.test' }]);
    expect(input.body_text).toHaveLength(MESSAGE_LIMITS.body_text);
    expect(input.subject).toHaveLength(MESSAGE_LIMITS.subject);
    expect(input.mailbox).toBe('agent@casepane.test');
    expect(input.sent_time).toBe('2026-11-20T10:15:00.000Z');
  });

  it('turns lone surrogates of a broken message into U+FFFD, in the message and in the prefilled form', () => {
    const broken = aMessage({ subject: 'Printer \ud800 down', bodyText: 'Body \udc00 😀' });
    const input = toEmailMessageInput(broken, 'agent@casepane.test');
    expect([input.subject, input.body_text]).toEqual(['Printer \ufffd down', 'Body \ufffd 😀']);
    const draft = prefillDraft(broken, STANDARD_FIELDS);
    expect([draft.values.Subject, draft.values.Description]).toEqual([
      'Printer \ufffd down',
      'Body \ufffd 😀',
    ]);
  });
});

describe('the organisation’s field layout', () => {
  it('leaves hidden and read-only standard fields out of the form and out of what is sent', () => {
    const layout: FieldMetadata[] = STANDARD_FIELDS.map((f) => ({
      ...meta({ api_name: f.apiName, custom_field: false }),
      visible: f.apiName !== 'Phone',
      read_only: f.apiName === 'Reported_By',
    }));
    const fields = fieldsFromMetadata(layout);
    const shown = formFields(fields).map((f) => f.apiName);
    expect(shown).not.toContain('Phone');
    expect(shown).not.toContain('Reported_By');
    expect(shown).toContain('Subject');
    const draft = prefillDraft(aMessage(), fields);
    const input = toCaseInput({ ...draft, values: { ...draft.values, Phone: '123' } }, fields);
    expect(input.Phone).toBeUndefined();
    expect(input.Reported_By).toBeUndefined();
    expect(input.Subject).toBe(aMessage().subject);
  });
});
