import type { FastifyInstance } from 'fastify';
import type { UserRecord } from '../../shared/api-types';
import { isRole } from '../auth/roles';
import { type AppDeps, userOf } from '../http/context';
import { apiError } from '../http/errors';
import { namesOf } from '../lookups/lookup.repository';
import { listUsers, type UserRow } from './user.repository';

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

export function userRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Querystring: { type?: string } }>('/crm/v6/users', async (request) => {
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
