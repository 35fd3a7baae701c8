import type { FastifyInstance } from 'fastify';

/**
 * Zoho's own SDKs send JSON bodies on /crm/v6 writes without a Content-Type header (they set one only for the bulk
 * APIs), and Zoho reads them as JSON. So a body that declares no type is read as JSON here; a body that declares
 * another type (a form, plain text) is refused with 415, naming the type expected.
 */
export function readUntypedBodiesAsJson(scope: FastifyInstance): void {
  // Fastify reads text/plain as a string by default; here it is a declared non-JSON type like any other (415).
  scope.removeContentTypeParser('text/plain');
  scope.addHook('onRequest', async (request) => {
    const { headers } = request;
    if (headers['content-type'] !== undefined) return;
    const hasBody =
      headers['transfer-encoding'] !== undefined ||
      (headers['content-length'] !== undefined && headers['content-length'] !== '0');
    // Fastify picks the body parser from this header after the onRequest hooks have run.
    if (hasBody) headers['content-type'] = 'application/json';
  });
}
