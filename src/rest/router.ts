// REST over GraphQL. Each path runs GraphQL documents (src/api-client/) through Yoga in-process
// with the caller's Authorization header and socket, so the admin token, the loopback rule, the
// per-caller mutation throttle, the limits and the error codes are GraphQL's own, unchanged.
// Chosen over @graphql-yoga/plugin-sofa: Sofa maps one root field to one route and answers a
// typed error result (`NotFoundError`…) with 200, while these paths need the runbook's URLs, a
// job named by its type (two operations), and HTTP statuses from the error codes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createApi, type Execute } from '../api-client/api.ts';
import { ApiError, type GraphQLResponse } from '../api-client/errors.ts';
import type { ErrorCode } from '../errors.ts';
import type { GraphQLServer } from '../graphql/server.ts';
import { type Handler, methodNotAllowed } from '../http/app.ts';
import { JOB_ROUTES } from './job-routes.ts';
import { objectBody, pathSegment, routeQuery } from './params.ts';
import { PLAYER_ROUTES } from './player-routes.ts';
import type { Route } from './route.ts';

export const API_PREFIX = '/api/v1';
export const ROUTES: Route[] = [...JOB_ROUTES, ...PLAYER_ROUTES];

export const MAX_BODY_BYTES = 64 * 1024;
/** Deeper JSON is refused: serialising it again for GraphQL would overflow the stack. */
const MAX_BODY_DEPTH = 32;

/** HTTP status of each error code (every code the use-cases have); anything else is a 500. */
export const STATUS_OF_CODE: Record<string, number> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LIMIT_REACHED: 409,
  RATE_LIMITED: 429,
  RIOT_UNAVAILABLE: 503,
  UNAVAILABLE: 503,
} satisfies Record<ErrorCode, number>;

const compiled = ROUTES.map((route) => ({
  route,
  names: [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string),
  pattern: new RegExp(`^${route.path.replace(/\{\w+\}/g, '([^/]+)')}/?$`),
}));

/** Runs a document through Yoga as if `req` had sent it to /graphql. */
function executorFor(yoga: GraphQLServer['yoga'], req: IncomingMessage): Execute {
  return async (query, variables) => {
    const body = JSON.stringify({ query, variables });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    };
    if (typeof req.headers.authorization === 'string') {
      headers.authorization = req.headers.authorization;
    }
    // The context reads the caller's address, Origin and Host from `req`.
    const response = await yoga.fetch(
      'http://riftwatch.internal/graphql',
      { method: 'POST', headers, body },
      { req } as never,
    );
    return (await response.json()) as GraphQLResponse;
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new ApiError('INVALID_INPUT', `The request body is over ${MAX_BODY_BYTES} bytes`, {
        status: 413,
      });
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError('INVALID_INPUT', 'The request body is not valid JSON');
  }
  if (depthOver(body, MAX_BODY_DEPTH)) {
    throw new ApiError('INVALID_INPUT', `The request body is nested over ${MAX_BODY_DEPTH} levels`);
  }
  return body;
}

/** Whether `value` nests objects or arrays deeper than `max` (walked without recursion). */
function depthOver(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [item, depth] = next;
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * A body is an object of the fields the route declares (the path names the job, not the body); a
 * path that declares none takes no body, `null` or `{}`.
 */
function checkBody(route: Route, body: unknown): void {
  // Some clients write an absent body as `null`.
  if (body === undefined || body === null) return;
  const fields = objectBody(body);
  const unknown = Object.keys(fields).find((field) => !Object.hasOwn(route.body ?? {}, field));
  if (unknown === undefined) return;
  if (!route.body) throw new ApiError('INVALID_INPUT', 'This path takes no request body');
  throw new ApiError(
    'INVALID_INPUT',
    `Unknown field ${JSON.stringify(unknown)}: accepted are ${Object.keys(route.body).join(', ')}`,
  );
}

export const readsBody = (method: string) => method !== 'GET' && method !== 'DELETE';

/** Headers of an error answer: its Retry-After, and the scheme a 401 asks for. */
function errorHeaders(error: ApiError, status: number): Record<string, string> {
  const { retryAfter } = error.details;
  return {
    ...(retryAfter && { 'retry-after': String(retryAfter) }),
    ...(status === 401 && { 'www-authenticate': 'Bearer' }),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(`${JSON.stringify(body, null, 2)}\n`);
}

export function createRestHandler(deps: { yoga: GraphQLServer['yoga'] }): Handler {
  return {
    matches: (path) => path === API_PREFIX || path.startsWith(`${API_PREFIX}/`),
    async handle(req, res, url) {
      // HEAD is GET without the body (Node leaves it out).
      const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
      const matching = compiled
        .map((c) => ({ ...c, match: c.pattern.exec(url.pathname) }))
        .filter((c) => c.match);
      // `/jobs/stats` also fits `/jobs/{job_id}`: a path of fixed segments is that path only.
      const fixed = matching.filter((c) => c.names.length === 0);
      const hits = fixed.length > 0 ? fixed : matching;
      const hit = hits.find((c) => c.route.method === method);
      try {
        if (!hit) {
          if (hits.length === 0) {
            throw new ApiError('NOT_FOUND', `No such path: ${method} ${url.pathname}`);
          }
          methodNotAllowed(
            res,
            hits.map((c) => c.route.method),
          );
          return;
        }
        const params: Record<string, string> = {};
        for (const [i, name] of hit.names.entries()) {
          params[name] = pathSegment(name, hit.match?.[i + 1] ?? '');
        }
        const query = routeQuery(hit.route.params ?? [], url.searchParams);
        const body = readsBody(method) ? await readJson(req) : undefined;
        checkBody(hit.route, body);
        const api = createApi(executorFor(deps.yoga, req));
        const result = await hit.route.run(api, { params, query, body });
        send(res, hit.route.success, result);
      } catch (error) {
        // Unexpected: the app answers it (500 with a request id, logged).
        if (!(error instanceof ApiError)) throw error;
        const status = error.details.status ?? STATUS_OF_CODE[error.code] ?? 500;
        send(res, status, error.toJSON(), errorHeaders(error, status));
      }
    },
  };
}
