import { API_PREFIX, MAX_BODY_BYTES, ROUTES, readsBody, STATUS_OF_CODE } from './router.ts';

const REASONS: Record<number, string> = {
  400: 'Invalid input (INVALID_INPUT)',
  401: 'No or wrong admin token (UNAUTHENTICATED)',
  404: 'Unknown id (NOT_FOUND)',
  409: 'Limit reached or conflicting state (LIMIT_REACHED, CONFLICT)',
  413: `The request body is over ${MAX_BODY_BYTES / 1024} KiB (INVALID_INPUT)`,
  429: 'Too many mutations (RATE_LIMITED); see Retry-After',
  500: 'Unexpected error (INTERNAL_SERVER_ERROR), with a requestId the log also carries',
  503: 'The Riot API could not answer (RIOT_UNAVAILABLE), or riftwatch is stopping (UNAVAILABLE)',
};

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: {
          type: 'string',
          enum: [...Object.keys(STATUS_OF_CODE), 'METHOD_NOT_ALLOWED', 'INTERNAL_SERVER_ERROR'],
        },
        message: { type: 'string' },
        retryAfter: { type: 'integer', description: 'seconds (RATE_LIMITED)' },
        issues: {
          type: 'array',
          items: {
            type: 'object',
            properties: { path: { type: 'array', items: { type: 'string' } }, message: {} },
          },
        },
        requestId: { type: 'string' },
      },
    },
  },
};

/** The OpenAPI 3 description of the REST paths, built from the route table itself. */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const responses: Record<string, unknown> = {
      [route.success]: {
        description: `The result of GraphQL \`${route.graphql}\` (fields as in schema.graphql)`,
        content: { 'application/json': { schema: { type: 'object' } } },
      },
    };
    const bodyErrors = readsBody(route.method) ? [413] : [];
    for (const status of [400, ...route.errors, ...bodyErrors, 500].sort()) {
      responses[status] = {
        description: REASONS[status] ?? 'Error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    const operation = {
      operationId: route.operationId,
      summary: route.summary,
      description: `Runs GraphQL \`${route.graphql}\` on /graphql with the caller's credentials.`,
      tags: [route.path.split('/')[3]],
      parameters: (route.params ?? []).map((p) => ({
        name: p.name,
        in: p.in,
        required: p.in === 'path',
        description: p.description,
        schema: { type: p.type, ...(p.enum && { enum: p.enum }) },
      })),
      ...(route.body && {
        requestBody: {
          required: false,
          content: {
            'application/json': { schema: { type: 'object', properties: route.body } },
          },
        },
      }),
      ...(route.method !== 'GET' && { security: [{ adminToken: [] }, {}] }),
      responses,
    };
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'riftwatch REST API',
      version: API_PREFIX.slice(-2),
      description:
        "The runbook's REST paths. Each runs GraphQL operations against /graphql (same auth, " +
        'throttle and error codes). Changes need `Authorization: Bearer <ADMIN_TOKEN>`, or ' +
        'come from loopback when no token is configured.',
    },
    servers: [{ url: '/' }],
    tags: [{ name: 'jobs' }, { name: 'executions' }, { name: 'players' }],
    paths,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' } },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
