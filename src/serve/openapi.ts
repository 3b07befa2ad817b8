/** The OpenAPI 3.1 document of /api/v1, generated from the route table so it cannot drift from what is served. */
import { ROUTES } from './routes.js';

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message', 'fix'], properties: { code: { type: 'string' }, message: { type: 'string' }, fix: { type: 'string' } } } },
};

const COMMON_ERRORS: Record<string, string> = {
  '400': 'bad input: malformed JSON, a body that does not fit the schema, a hostile id',
  '401': 'no key, or an unknown, revoked or expired key',
  '403': "the key's scope or team does not allow this",
  '409': 'a policy refusal (e.g. an open proposal already exists)',
  '413': 'the body is larger than the limit',
  '422': 'an invalid JSON Schema',
  '429': 'too many failed key checks from this address (Retry-After says when to retry)',
  '503': 'the registry (or its remote) is unavailable',
};

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const names = [...r.path.matchAll(/\{([a-z]+)\}/g)].map((m) => m[1]!);
    const parameters = [
      ...names.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...(r.query ?? []).map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } })),
    ];
    const responses: Record<string, unknown> = {};
    for (const [code, description] of Object.entries(r.responses)) responses[code] = { description, content: { 'application/json': { schema: { type: 'object' } } } };
    for (const [code, description] of Object.entries(COMMON_ERRORS)) responses[code] ??= { $ref: `#/components/responses/E${code}`, description };
    paths[r.path] ??= {};
    paths[r.path]![r.method.toLowerCase()] = {
      operationId: `${r.method.toLowerCase()}${r.path.replace(/\{([a-z]+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: r.summary,
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: r.body } } } } : {}),
      responses,
      'x-tessera-scope': r.scope,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Tessera registry API', version: '1', description: 'tessera serve: the REST API over a Tessera registry. Every request needs Authorization: Bearer <key> (tessera key create).' },
    servers: [{ url: '/api/v1' }],
    security: [{ apiKey: [] }],
    paths,
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'a key from tessera key create: tsk_<id>_<secret>' } },
      schemas: { Error: ERROR_SCHEMA },
      responses: Object.fromEntries(Object.entries(COMMON_ERRORS).map(([code, description]) => [`E${code}`, { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }])),
    },
  };
}
