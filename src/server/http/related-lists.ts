import { MAX_RECORDS_PER_CALL } from '../../shared/api-types';
import {
  crmErrors,
  IdParams,
  ListReply,
  NoContent,
  notFound,
  PageQuery,
  RecordResults,
  RecordsBody,
} from './schema';

/** What a case's related lists (notes, activities, solutions) share: their schemas and Zoho's empty reply. */

export const RelatedResults = RecordResults(
  'Per record: SUCCESS with details.id, or an error naming the field',
);

/** GET /Cases/{id}/<List>: a page of the records, 204 when there are none, 404 for no such case. */
export const relatedList = (summary: string, what: string, tags: string[]) => ({
  summary,
  tags,
  params: IdParams,
  querystring: PageQuery,
  response: { 200: ListReply(what), 204: NoContent(`No ${what.toLowerCase()}`), ...notFound, ...crmErrors },
});

/** POST /Cases/{id}/<List>: up to 100 records, a result each. */
export const addingRelated = (summary: string, tags: string[]) => ({
  summary,
  tags,
  params: IdParams,
  body: RecordsBody(MAX_RECORDS_PER_CALL),
  response: { 201: RelatedResults, ...notFound, ...crmErrors },
});

/** Zoho answers an empty list with 204 No Content, not an empty array. */
export const listOrEmpty = <L extends { data: unknown[] }>(
  list: L,
  reply: { code(n: number): { send(): unknown } },
) => (list.data.length ? list : reply.code(204).send());
