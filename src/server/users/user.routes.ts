import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { UserRecord } from '../../shared/api-types';
import { isRole } from '../auth/roles';
import { type AppDeps, userOf } from '../http/context';
import { apiError } from '../http/errors';
import { namesOf } from '../lookups/lookup.repository';
import { findUserById, listUsers, setUserManager, type UserRow } from './user.repository';
import {
  crmErrors,
  IdParams,
  Info,
  Loose,
  notFound,
  queryText,
  RecordId,
  SuccessReply,
  typed,
} from '../http/schema';
import { recordIdParam } from '../http/envelope';

const usersSchema = {
  summary: 'Users (owners): type=AllUsers|ActiveUsers|CurrentUser',
  tags: ['Users'],
  querystring: Type.Object(
    { type: queryText('AllUsers (default), ActiveUsers or CurrentUser') },
    { additionalProperties: true },
  ),
  response: {
    200: Type.Object(
      { users: Type.Array(Loose()), info: Type.Optional(Info) },
      { additionalProperties: true, description: 'Users' },
    ),
    ...crmErrors,
  },
};

const ManagerRecord = Type.Object(
  {
    manager: Type.Optional(
      Type.Union([Type.Object({ id: RecordId }, { additionalProperties: true }), Type.Null()], {
        description: '{"id": a user id} or null',
      }),
    ),
  },
  { additionalProperties: true },
);
const userUpdate = {
  summary: "Set a user's manager (admin)",
  tags: ['Users'],
  params: IdParams,
  body: Type.Object(
    { data: Type.Array(ManagerRecord, { minItems: 1, maxItems: 1 }) },
    { additionalProperties: true },
  ),
  response: { 200: SuccessReply('users', 'Updated'), ...notFound, ...crmErrors },
};

function userRecord(row: UserRow, names: Map<string, { name: string }>): UserRecord {
  const managerId = row.manager_id === null ? null : String(row.manager_id);
  return {
    id: String(row.id),
    full_name: row.full_name,
    email: row.email,
    role: { name: isRole(row.role) ? row.role : 'viewer' },
    status: row.status === 'active' ? 'active' : 'disabled',
    manager: managerId === null ? null : { id: managerId, name: names.get(managerId)?.name ?? '' },
  };
}

/** Users: the list (owners, managers) and, for admins, who a user's manager is. */
export function userRoutes(root: FastifyInstance, deps: AppDeps): void {
  const app = typed(root);
  app.get('/crm/v6/users', { schema: usersSchema }, async (request) => {
    const type = request.query.type ?? 'AllUsers';
    if (type === 'CurrentUser') {
      const me = userOf(request);
      return {
        users: [
          { id: me.id, full_name: me.name, email: me.email, role: { name: me.role }, status: 'active' },
        ],
      };
    }
    if (type !== 'AllUsers' && type !== 'ActiveUsers')
      throw apiError(400, 'INVALID_DATA', 'type must be AllUsers, ActiveUsers or CurrentUser', {
        param_name: 'type',
      });
    const rows = await listUsers(deps.storage.db, type === 'ActiveUsers');
    // Managers by id: a disabled manager is not among ActiveUsers.
    const names = await namesOf(
      deps.storage.db,
      'Users',
      rows.flatMap((r) => (r.manager_id === null ? [] : [r.manager_id])),
    );
    return {
      users: rows.map((row) => userRecord(row, names)),
      info: { page: 1, per_page: rows.length, count: rows.length, more_records: false },
    };
  });

  app.put(
    '/crm/v6/users/:id',
    { config: { permission: 'admin' as const }, schema: userUpdate },
    async (request) => {
      const id = recordIdParam(request.params.id);
      const { manager } = request.body.data[0];
      if (manager === undefined)
        throw apiError(400, 'INVALID_DATA', 'manager: expected {"id": ...} or null', { api_name: 'manager' });
      const managerId = manager === null ? null : recordIdParam(manager.id);
      if (!(await findUserById(deps.storage.db, id)))
        throw apiError(404, 'INVALID_DATA', `no user with id ${id}`, { id });
      if (managerId !== null && (managerId === id || !(await findUserById(deps.storage.db, managerId))))
        throw apiError(400, 'INVALID_DATA', 'manager: not a valid user', { api_name: 'manager' });
      await deps.storage.write((trx) => setUserManager(trx, id, managerId));
      return { users: [{ code: 'SUCCESS', details: { id }, message: 'user updated', status: 'success' }] };
    },
  );
}
