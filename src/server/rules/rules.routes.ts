import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../http/context';
import { recordIdParam, recordsOf } from '../http/envelope';
import { apiError } from '../http/errors';
import { findUserById } from '../users/user.repository';
import {
  createAssignmentRule,
  listAssignmentRules,
  removeAssignmentRule,
  replaceAssignmentRule,
} from './assignment.service';
import {
  createEscalationRule,
  listEscalationRules,
  removeEscalationRule,
  runEscalation,
  setActive,
} from './escalation.service';

type IdParams = { Params: { id: string } };
const admin = { config: { permission: 'admin' as const } };

/** Administration of assignment and escalation rules, and of users' managers (admin role). */
export function ruleRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { db, engine } = deps.storage;
  const write = deps.storage.write;

  app.get('/crm/v6/settings/assignment_rules', admin, async () => ({
    assignment_rules: await listAssignmentRules(db),
  }));
  app.post('/crm/v6/settings/assignment_rules', admin, async (request, reply) => {
    const [input] = recordsOf(request.body, 1);
    const id = await write((trx) => createAssignmentRule(trx, engine, deps.fields, input));
    return reply
      .code(201)
      .send({ data: [{ code: 'SUCCESS', details: { id }, message: 'rule added', status: 'success' }] });
  });
  app.put<IdParams>('/crm/v6/settings/assignment_rules/:id', admin, async (request) => {
    const id = recordIdParam(request.params.id);
    const [input] = recordsOf(request.body, 1);
    await write((trx) => replaceAssignmentRule(trx, engine, deps.fields, id, input));
    return { data: [{ code: 'SUCCESS', details: { id }, message: 'rule updated', status: 'success' }] };
  });
  app.delete<IdParams>('/crm/v6/settings/assignment_rules/:id', admin, async (request) => {
    const id = recordIdParam(request.params.id);
    await write((trx) => removeAssignmentRule(trx, id));
    return { data: [{ code: 'SUCCESS', details: { id }, message: 'rule deleted', status: 'success' }] };
  });

  app.get('/crm/v6/settings/escalation_rules', admin, async () => ({
    escalation_rules: await listEscalationRules(db),
  }));
  app.post('/crm/v6/settings/escalation_rules', admin, async (request, reply) => {
    const [input] = recordsOf(request.body, 1);
    const id = await write((trx) => createEscalationRule(trx, engine, deps.fields, input));
    return reply
      .code(201)
      .send({ data: [{ code: 'SUCCESS', details: { id }, message: 'rule added', status: 'success' }] });
  });
  app.put<IdParams>('/crm/v6/settings/escalation_rules/:id', admin, async (request) => {
    const id = recordIdParam(request.params.id);
    const [input] = recordsOf(request.body, 1);
    await write((trx) => setActive(trx, engine, id, (input as { active?: unknown } | null)?.active));
    return { data: [{ code: 'SUCCESS', details: { id }, message: 'rule updated', status: 'success' }] };
  });
  app.delete<IdParams>('/crm/v6/settings/escalation_rules/:id', admin, async (request) => {
    const id = recordIdParam(request.params.id);
    await write((trx) => removeEscalationRule(trx, id));
    return { data: [{ code: 'SUCCESS', details: { id }, message: 'rule deleted', status: 'success' }] };
  });
  // Runs one escalation pass now (the schedule runs it every ESCALATION_INTERVAL_SECONDS).
  app.post('/crm/v6/settings/escalation_rules/actions/run', admin, async () => ({
    data: [
      {
        code: 'SUCCESS',
        details: await runEscalation(deps.storage, deps.fields),
        message: 'escalation pass done',
        status: 'success',
      },
    ],
  }));

  app.put<IdParams>('/crm/v6/users/:id', admin, async (request) => {
    const id = recordIdParam(request.params.id);
    const [input] = recordsOf(request.body, 1);
    const manager = (input as { manager?: { id?: unknown } | null } | null)?.manager;
    const managerId = manager === null ? null : manager?.id;
    if (managerId !== null && typeof managerId !== 'string')
      throw apiError(400, 'INVALID_DATA', 'manager: expected {"id": ...} or null', { api_name: 'manager' });
    if (managerId !== null) recordIdParam(managerId);
    if (!(await findUserById(db, id))) throw apiError(404, 'INVALID_DATA', `no user with id ${id}`, { id });
    if (managerId !== null && (managerId === id || !(await findUserById(db, managerId))))
      throw apiError(400, 'INVALID_DATA', 'manager: not a valid user', { api_name: 'manager' });
    await db.updateTable('users').set({ manager_id: managerId }).where('id', '=', id).execute();
    return { users: [{ code: 'SUCCESS', details: { id }, message: 'user updated', status: 'success' }] };
  });
}
