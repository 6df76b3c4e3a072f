import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isPlatform, isRegion } from '../routing.ts';
import type { Faults } from './faults.ts';
import type { createLimitEnforcer } from './limits.ts';
import { errorReply, findRoute, type Reply } from './routes.ts';
import type { World } from './world.ts';

export type SimulatorStats = {
  requests: number;
  byStatus: Record<string, number>;
  /** Real 429s (limits exceeded), by type; injected ones are not counted here. */
  limitExceeded: { application: number; method: number };
  resets: number;
};

type Deps = {
  world: World;
  faults: Faults;
  limits: ReturnType<typeof createLimitEnforcer>;
  apiKey: string;
  stats: SimulatorStats;
};

const RIOT_429_BODY = { status: { message: 'Rate limit exceeded', status_code: 429 } };

function send(
  res: ServerResponse,
  stats: SimulatorStats,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json;charset=utf-8', ...headers });
  res.end(text);
}

/** Headers and half the body, then the connection drops (the announced length never arrives). */
function sendCut(
  res: ServerResponse,
  stats: SimulatorStats,
  status: number,
  body: unknown,
  headers: Record<string, string>,
) {
  stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
  const text = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=utf-8',
    'Content-Length': String(text.length),
    ...headers,
  });
  res.write(text.subarray(0, text.length >> 1), () => res.socket?.destroy());
}

export function createSimulatorServer(deps: Deps) {
  const { world, faults, limits, stats } = deps;
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) send(res, stats, 500, errorReply(500, 'Internal server error').body);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    stats.requests++;
    const url = new URL(req.url ?? '/', 'http://simulator');
    const [, routing = '', ...rest] = url.pathname.split('/');
    const path = `/${rest.join('/')}`;
    const token = req.headers['x-riot-token'];
    // Like Riot: a 401/403 carries no rate-limit headers and is not counted.
    if (!token) return send(res, stats, 401, errorReply(401, 'Unauthorized').body);
    if (token !== deps.apiKey || faults.keyExpired)
      return send(res, stats, 403, errorReply(403, 'Forbidden').body);
    const found =
      (isPlatform(routing) || isRegion(routing)) && req.method === 'GET' ? findRoute(path) : null;
    if (!found) return send(res, stats, 404, errorReply(404, 'Resource not found').body);
    const { route, params } = found;
    const check = limits.check(routing, route.method);
    if (!check.ok) {
      stats.limitExceeded[check.type]++;
      const headers = {
        ...check.headers,
        'Retry-After': String(check.retryAfterSeconds),
        'X-Rate-Limit-Type': check.type,
      };
      return send(res, stats, 429, RIOT_429_BODY, headers);
    }
    const { delayMs, fault } = faults.take(route.method, routing, path);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (fault?.kind === 'reset') {
      stats.resets++;
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'rate-limit') {
      const retry = fault.retryAfterSeconds === undefined ? 1 : fault.retryAfterSeconds;
      const headers: Record<string, string> = { ...check.headers, 'X-Rate-Limit-Type': fault.type };
      if (retry !== null) headers['Retry-After'] = String(retry);
      const body = fault.type === 'server' ? 'server rate limit exceeded' : RIOT_429_BODY;
      return (fault.cutBody ? sendCut : send)(res, stats, 429, body, headers);
    }
    if (fault?.kind === 'status') {
      return send(
        res,
        stats,
        fault.status,
        errorReply(fault.status, fault.message ?? `Simulated ${fault.status}`).body,
        check.headers,
      );
    }
    let reply: Reply;
    try {
      reply = route.handle(world, routing, params, url.searchParams);
    } catch {
      reply = errorReply(500, 'Internal server error');
    }
    if (fault?.kind === 'malformed-json' && reply.status === 200) {
      return send(res, stats, 200, JSON.stringify(reply.body).slice(0, 40), check.headers);
    }
    send(res, stats, reply.status, reply.body, check.headers);
  }
}
