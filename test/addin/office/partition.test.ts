import { partitionKey } from '../../../src/addin/office/partition';

const office = (context: unknown) => ({ context }) as unknown as typeof Office;

describe('partitionKey', () => {
  it('reads Office.context.partitionKey where Outlook gives one', () => {
    expect(partitionKey(office({ partitionKey: 'abc123' }))).toBe('abc123');
  });
  it('is null where it is absent, empty or not a string, or Office is missing', () => {
    expect(partitionKey(office({}))).toBeNull();
    expect(partitionKey(office({ partitionKey: '' }))).toBeNull();
    expect(partitionKey(office({ partitionKey: 42 }))).toBeNull();
    expect(partitionKey(undefined)).toBeNull();
  });
  it('is null when reading it throws (a host that guards unknown members)', () => {
    const context = Object.defineProperty({}, 'partitionKey', {
      get() {
        throw new Error('unsupported');
      },
    });
    expect(partitionKey(office(context))).toBeNull();
  });
});
