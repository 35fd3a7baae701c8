import { roamingStorage } from '../../../src/addin/office/roaming-storage';

/** Office.context.roamingSettings as Office.js has it: in memory, saveAsync persists (here: into `saved`). */
function fakeOffice() {
  const values: Record<string, unknown> = {};
  const saved: Record<string, unknown>[] = [];
  const roamingSettings = {
    get: (k: string) => values[k],
    set: (k: string, v: unknown) => void (values[k] = v),
    remove: (k: string) => void delete values[k],
    saveAsync: (cb: () => void) => setTimeout(() => (saved.push({ ...values }), cb()), 5),
  };
  return { office: { context: { roamingSettings } } as unknown as typeof Office, saved };
}

describe('roaming storage', () => {
  it('reads and writes strings, and says when the mailbox has the last change', async () => {
    const { office, saved } = fakeOffice();
    const store = roamingStorage(office)!;
    expect(store.getItem('k')).toBeNull();
    store.setItem('k', '[1]');
    store.setItem('k', '[1,2]');
    expect(store.getItem('k')).toBe('[1,2]');
    await store.saved();
    expect(saved.at(-1)).toEqual({ k: '[1,2]' });
    store.removeItem('k');
    await store.saved();
    expect(saved.at(-1)).toEqual({});
  });

  it('refuses a value over the 32 KB cap and is absent where the host has no roaming settings', () => {
    const store = roamingStorage(fakeOffice().office)!;
    expect(() => store.setItem('k', 'x'.repeat(40_000))).toThrow(/too large/);
    expect(store.getItem('k')).toBeNull();
    expect(roamingStorage({ context: {} } as unknown as typeof Office)).toBeNull();
    expect(roamingStorage(undefined)).toBeNull();
  });
});
