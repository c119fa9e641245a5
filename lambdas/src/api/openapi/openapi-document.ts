import type { JsonSchema, ResponseDoc, RouteSpec } from '../route-spec';
import { SCHEMAS } from './schemas';

/** Version of the API contract (bumped when a response shape changes incompatibly). */
export const API_VERSION = '1.0.0';

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad request: a parameter or field is invalid (the message names it)',
  401: 'Missing, malformed or unknown API key',
  404: 'No such route, job (or another owner\'s job) or file',
  408: 'The client sent the request too slowly',
  409: 'The job is not in a state that allows this',
  412: 'The object already exists (uploads are create-only)',
  413: 'Body, file or image larger than the limits',
  415: 'Unsupported content type or image format',
  422: 'The image is empty, corrupt or too small',
  429: 'Rate limit exceeded; see Retry-After',
  500: 'Internal error; quote the request id',
  503: 'Temporarily unavailable (queue or store not answering, timed out waiting)',
  507: 'The server is out of storage space',
};

const errorResponse = (status: number): ResponseDoc => ({
  description: ERROR_DESCRIPTIONS[status] ?? 'Error',
  content: { 'application/json': { $ref: '#/components/schemas/Error' } },
});

function content(media: Readonly<Record<string, JsonSchema>>): Record<string, { schema: JsonSchema }> {
  return Object.fromEntries(Object.entries(media).map(([type, schema]) => [type, { schema }]));
}

function pathParameters(route: RouteSpec): Record<string, unknown>[] {
  const names = [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
  return names.map((name) => {
    const description = route.doc.pathParameters?.[name];
    if (!description) throw new Error(`Route ${route.method} ${route.path} does not describe its path parameter ${name}`);
    return { name, in: 'path', required: true, description, schema: { type: 'string' } };
  });
}

function operation(route: RouteSpec): Record<string, unknown> {
  const { doc } = route;
  const errors = new Set<number>([...doc.errors, 500]);
  if (route.access !== 'public') {
    errors.add(401);
    errors.add(429);
  }
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(doc.responses)) {
    responses[status] = { description: response.description, ...(response.content ? { content: content(response.content) } : {}) };
  }
  for (const status of [...errors].sort((a, b) => a - b)) responses[String(status)] = errorResponse(status);
  const parameters = [
    ...pathParameters(route),
    ...(doc.query ?? []).map((query) => ({ name: query.name, in: 'query', required: query.required ?? false, description: query.description, schema: query.schema })),
  ];
  return {
    operationId: doc.operationId,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: doc.tags,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(doc.requestBody ? { requestBody: { required: true, content: content(doc.requestBody) } } : {}),
    responses,
    // Public routes need nothing; the DeepLIIF routes take a key or, when opened, nothing.
    security: route.access === 'public' ? [] : route.access === 'deepliif' ? [{ apiKey: [] }, {}] : [{ apiKey: [] }],
  };
}

/** The OpenAPI 3.1 document of a route table: built from the table itself, so it cannot drift from the router. */
export function buildOpenApiDocument(routes: readonly RouteSpec[], serverUrl?: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Restain API',
      version: API_VERSION,
      description:
        'IHC scoring jobs (create, upload, status, results, re-score, delete) and DeepLIIF-compatible endpoints. ' +
        'Errors are `{error: {code, message}}`. Authenticate with `Authorization: Bearer rk_...`; on a loopback-only server a request without a key acts as the local user.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      schemas: SCHEMAS,
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: rk_ followed by 43 base64url characters' } },
    },
  };
}
