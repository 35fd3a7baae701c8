import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { UserRecord } from '../../shared/api-types';
import { isRole } from '../auth/roles';
import { type AppDeps, userOf } from '../http/context';
import { apiError } from '../http/errors';
import { namesOf } from '../lookups/lookup.repository';
import { listUsers, type UserRow } from './user.repository';
import { crmErrors, Info, Loose, queryText, typed } from '../http/schema';

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
}
