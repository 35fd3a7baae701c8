import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { type AppDeps, serviceContext } from '../http/context';
import { recordIdParam } from '../http/envelope';
import * as service from './email.service';

/** The message is checked field by field by validateEmailMessage (api_name per field); the schema fixes the envelope. */
const schema = {
  params: Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) }),
  body: Type.Object({
    data: Type.Array(Type.Object({}, { additionalProperties: true }), { minItems: 1, maxItems: 1 }),
  }),
  response: {
    200: Type.Object({ data: Type.Array(Type.Object({}, { additionalProperties: true })) }),
    201: Type.Object({ data: Type.Array(Type.Object({}, { additionalProperties: true })) }),
  },
};

/** Outgoing mail the agent sent from Outlook, recorded on its case (the add-in's on-send link; idempotent). */
export const sentEmailRoutes: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post<{ Params: { id: string }; Body: { data: unknown[] } }>(
    '/crm/v6/Cases/:id/Emails/actions/record_sent',
    { schema },
    async (request, reply) => {
      const caseId = recordIdParam(request.params.id);
      const result = await deps.storage.write((trx) =>
        service.recordSentEmail(trx, serviceContext(deps, request), caseId, request.body.data[0]),
      );
      return reply.code(result.details.duplicate ? 200 : 201).send({ data: [result] });
    },
  );
};
