import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../http/context';
import { recordIdParam } from '../http/envelope';
import { crmErrors, IdParams, Loose, notFound, RecordsBody, SuccessReply, typed } from '../http/schema';
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

const admin = { permission: 'admin' as const };
const tags = ['Rules'];
const done = (key: string, description: string) => ({ 200: SuccessReply(key, description), ...crmErrors });
const listOf = (key: string, description: string) => ({
  200: Type.Object({ [key]: Type.Array(Loose()) }, { additionalProperties: true, description }),
  ...crmErrors,
});
const ruleSchemas = (kind: string, key: string) => ({
  list: { summary: `The ${kind} rules, in order`, tags, response: listOf(key, `${kind} rules`) },
  create: {
    summary: `Add an ${kind} rule (admin)`,
    tags,
    body: RecordsBody(1),
    response: { 201: SuccessReply('data', 'Added: details.id'), ...crmErrors },
  },
  update: {
    summary: `Change an ${kind} rule (admin)`,
    tags,
    params: IdParams,
    body: RecordsBody(1),
    response: { ...done('data', 'Updated'), ...notFound },
  },
  delete: {
    summary: `Delete an ${kind} rule (admin)`,
    tags,
    params: IdParams,
    response: { ...done('data', 'Deleted'), ...notFound },
  },
});
const assignment = ruleSchemas('assignment', 'assignment_rules');
const escalation = {
  ...ruleSchemas('escalation', 'escalation_rules'),
  run: {
    summary: 'Run one escalation pass now (the schedule runs it every ESCALATION_INTERVAL_SECONDS)',
    tags,
    response: done('data', 'Pass done: what it escalated'),
  },
};
/** Administration of assignment and escalation rules (admin role). */
export function ruleRoutes(root: FastifyInstance, deps: AppDeps): void {
  const app = typed(root);
  const { db, dialect } = deps.storage;
  const write = deps.storage.write;

  app.get('/crm/v6/settings/assignment_rules', { config: admin, schema: assignment.list }, async () => ({
    assignment_rules: await listAssignmentRules(db),
  }));
  app.post(
    '/crm/v6/settings/assignment_rules',
    { config: admin, schema: assignment.create },
    async (request, reply) => {
      const [input] = request.body.data;
      const id = await write((trx) => createAssignmentRule(trx, dialect, deps.fields, input));
      return reply
        .code(201)
        .send({ data: [{ code: 'SUCCESS', details: { id }, message: 'rule added', status: 'success' }] });
    },
  );
  app.put(
    '/crm/v6/settings/assignment_rules/:id',
    { config: admin, schema: assignment.update },
    async (request) => {
      const id = recordIdParam(request.params.id);
      const [input] = request.body.data;
      await write((trx) => replaceAssignmentRule(trx, dialect, deps.fields, id, input));
      return { data: [{ code: 'SUCCESS', details: { id }, message: 'rule updated', status: 'success' }] };
    },
  );
  app.delete(
    '/crm/v6/settings/assignment_rules/:id',
    { config: admin, schema: assignment.delete },
    async (request) => {
      const id = recordIdParam(request.params.id);
      await write((trx) => removeAssignmentRule(trx, id));
      return { data: [{ code: 'SUCCESS', details: { id }, message: 'rule deleted', status: 'success' }] };
    },
  );

  app.get('/crm/v6/settings/escalation_rules', { config: admin, schema: escalation.list }, async () => ({
    escalation_rules: await listEscalationRules(db),
  }));
  app.post(
    '/crm/v6/settings/escalation_rules',
    { config: admin, schema: escalation.create },
    async (request, reply) => {
      const [input] = request.body.data;
      const id = await write((trx) => createEscalationRule(trx, dialect, deps.fields, input));
      return reply
        .code(201)
        .send({ data: [{ code: 'SUCCESS', details: { id }, message: 'rule added', status: 'success' }] });
    },
  );
  app.put(
    '/crm/v6/settings/escalation_rules/:id',
    { config: admin, schema: escalation.update },
    async (request) => {
      const id = recordIdParam(request.params.id);
      const [input] = request.body.data;
      await write((trx) => setActive(trx, dialect, id, (input as { active?: unknown } | null)?.active));
      return { data: [{ code: 'SUCCESS', details: { id }, message: 'rule updated', status: 'success' }] };
    },
  );
  app.delete(
    '/crm/v6/settings/escalation_rules/:id',
    { config: admin, schema: escalation.delete },
    async (request) => {
      const id = recordIdParam(request.params.id);
      await write((trx) => removeEscalationRule(trx, id));
      return { data: [{ code: 'SUCCESS', details: { id }, message: 'rule deleted', status: 'success' }] };
    },
  );
  // Runs one escalation pass now (the schedule runs it every ESCALATION_INTERVAL_SECONDS).
  app.post(
    '/crm/v6/settings/escalation_rules/actions/run',
    { config: admin, schema: escalation.run },
    async () => ({
      data: [
        {
          code: 'SUCCESS',
          details: await runEscalation(deps.storage, deps.fields),
          message: 'escalation pass done',
          status: 'success',
        },
      ],
    }),
  );
}
