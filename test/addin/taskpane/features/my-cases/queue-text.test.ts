import { translator } from '../../../../../src/addin/i18n';
import {
  duration,
  escalationText,
  openableItemId,
} from '../../../../../src/addin/taskpane/features/my-cases/queue-text';

const t = translator('en');
const H = 3_600_000;

describe('My cases text', () => {
  it('reads spans in minutes, hours or days', () => {
    expect(duration(t, 90 * 60_000)).toBe('90 min');
    expect(duration(t, 5 * H)).toBe('5 h');
    expect(duration(t, 72 * H)).toBe('3 d');
  });

  it('says how long is left before the rule fires, or how long it is overdue', () => {
    const now = Date.parse('2026-12-02T10:00:00Z');
    const rule = { name: 'High in 4 h' };
    expect(escalationText(t, { due_time: '2026-12-02T13:00:00Z', overdue: false, rule }, now)).toBe(
      'Escalates in 3 h (High in 4 h)',
    );
    expect(escalationText(t, { due_time: '2026-12-02T09:40:00Z', overdue: true, rule }, now)).toBe(
      'Overdue by 20 min (High in 4 h)',
    );
    // Due while the list was on screen: overdue, even before the server says so.
    expect(escalationText(t, { due_time: '2026-12-02T09:59:00Z', overdue: false, rule }, now)).toMatch(
      /^Overdue/,
    );
  });

  it('offers Open email only for a message linked from this mailbox', () => {
    const message = { item_id: 'AAMk1', mailbox: 'Agent@Casepane.test' };
    expect(openableItemId(message, 'agent@casepane.test')).toBe('AAMk1');
    expect(openableItemId(message, 'other@casepane.test')).toBeNull();
    expect(
      openableItemId({ item_id: null, mailbox: 'agent@casepane.test' }, 'agent@casepane.test'),
    ).toBeNull();
    expect(openableItemId(null, 'agent@casepane.test')).toBeNull();
    expect(openableItemId(message, null)).toBeNull();
  });
});
