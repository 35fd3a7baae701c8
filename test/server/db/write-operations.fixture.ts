import { threadId } from 'node:worker_threads';
import { sql } from 'kysely';
import type { WriteOperation, WriteOperationRegistry } from '../../../src/server/db/write-operation';
import { apiError, reviveHttpError } from '../../../src/server/http/errors';

/** Operations for write-worker.test.ts, loaded by the worker thread as the server loads its own registry. */

const count = async (trx: Parameters<WriteOperation<never, unknown>['run']>[0]) =>
  Number((await sql<{ c: number }>`select count(*) as c from t`.execute(trx)).rows[0].c);

export const insertRows: WriteOperation<{ from: number; count: number }, { threadId: number; rows: number }> =
  {
    name: 'test.insert',
    async run(trx, { from, count: n }) {
      for (let i = 0; i < n; i++) await sql`insert into t (n) values (${from + i})`.execute(trx);
      return { threadId, rows: await count(trx) };
    },
  };

export const failAfterInsert: WriteOperation<{ n: number }, never> = {
  name: 'test.fail',
  async run(trx, { n }) {
    await sql`insert into t (n) values (${n})`.execute(trx);
    throw Object.assign(new Error('failed after inserting'), { code: 'TEST_FAILURE', detail: { n } });
  },
};

export const conflict: WriteOperation<{ n: number }, never> = {
  name: 'test.conflict',
  async run(trx, { n }) {
    await sql`insert into t (n) values (${n})`.execute(trx);
    throw apiError(409, 'CONFLICT', 'taken', { api_name: 'n' }, { headers: { 'retry-after': '1' } });
  },
  revive: reviveHttpError,
};

export const uncloneable: WriteOperation<Record<string, never>, () => void> = {
  name: 'test.uncloneable',
  run: async () => () => undefined,
};

export const slowInsert: WriteOperation<{ n: number; ms: number }, number> = {
  name: 'test.slow',
  async run(trx, { n, ms }) {
    await sql`insert into t (n) values (${n})`.execute(trx);
    const until = Date.now() + ms;
    while (Date.now() < until);
    return threadId;
  },
};

export const writeOperations: WriteOperationRegistry = Object.fromEntries(
  [insertRows, failAfterInsert, conflict, uncloneable, slowInsert].map((op) => [op.name, op]),
) as WriteOperationRegistry;
