import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { insertRows } from '../../../src/server/db/insert-rows';
import { openStorage, type Storage } from '../../../src/server/db/database';
import type { RowId } from '../../../src/server/db/schema';
import { createPostgresDatabase, ENGINES } from '../harness';

/** insertRows compiles each insert shape once and binds values per call; behaviour must match a plain insert. */
describe.each(ENGINES)('insertRows on %s', (engine) => {
  let storage: Storage;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-insert-'));
    const pgdb = engine === 'postgres' ? await createPostgresDatabase() : undefined;
    storage = await openStorage({ dataDir, databaseUrl: pgdb?.url });
    cleanup = async () => {
      await storage.close();
      await pgdb?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    };
  });
  afterEach(() => cleanup());

  const user = (n: number, status?: string) => ({
    external_id: `local|u${n}`,
    email: `u${n}@example.com`,
    full_name: `User ${n}`,
    role: 'agent',
    manager_id: null,
    // undefined leaves the column out, so the table's default applies
    status: status as string,
    created_time: '2026-11-25T10:00:00.000Z',
  });
  const users = () =>
    storage.db
      .selectFrom('users')
      .select(['email', 'status', 'manager_id'])
      .where('email', 'like', 'u%@example.com')
      .orderBy('email')
      .execute();

  it('binds every call its own values, in one shape or several', async () => {
    await insertRows(storage.db, 'users', [user(1, 'disabled')]);
    await insertRows(storage.db, 'users', [user(2, 'active')]);
    await insertRows(storage.db, 'users', [user(3, 'disabled'), user(4), user(5, 'active'), user(6)]);
    expect(await users()).toEqual([
      { email: 'u1@example.com', status: 'disabled', manager_id: null },
      { email: 'u2@example.com', status: 'active', manager_id: null },
      { email: 'u3@example.com', status: 'disabled', manager_id: null },
      { email: 'u4@example.com', status: 'active', manager_id: null },
      { email: 'u5@example.com', status: 'active', manager_id: null },
      { email: 'u6@example.com', status: 'active', manager_id: null },
    ]);
  });

  it('returns the asked columns of inserted rows and skips rows that collide on the given key', async () => {
    const claim = (id: string) =>
      insertRows<'email_conversions', { internet_message_id: string }>(
        storage.db,
        'email_conversions',
        [{ internet_message_id: id, case_id: null, created_time: '2026-11-25T10:00:00.000Z' }],
        { skipConflictsOn: ['internet_message_id'], returning: ['internet_message_id'] },
      );
    expect(await claim('<a@x>')).toEqual([{ internet_message_id: '<a@x>' }]);
    expect(await claim('<b@x>')).toEqual([{ internet_message_id: '<b@x>' }]);
    expect(await claim('<a@x>')).toEqual([]);
    const ids = await insertRows<'users', { id: RowId; email: string }>(
      storage.db,
      'users',
      [user(7), user(8)],
      { returning: ['id', 'email'] },
    );
    expect(ids.map((r) => r.email).sort()).toEqual(['u7@example.com', 'u8@example.com']);
    expect(new Set(ids.map((r) => String(r.id))).size).toBe(2);
  });

  it('refuses a row the table refuses, like any insert', async () => {
    await insertRows(storage.db, 'users', [user(9)]);
    // Matched by message, not by class: better-sqlite3 builds its errors with the constructor of the first test
    // file that loaded it in this jest worker, so they are not instances of this file's Error.
    await expect(insertRows(storage.db, 'users', [user(9)])).rejects.toMatchObject({
      message: expect.stringMatching(/unique/i),
    });
  });
});
