import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { toEvent } from '../../../src/events/rate-limit-usage.ts';
import { buildApp } from '../../../src/http/app.ts';
import type { RoutingUsage } from '../../../src/riot/rate-limiter-usage.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { readOnlyGraphQLServer } from '../../helpers/read-only-graphql.ts';
import { configId } from '../jobs/engine-harness.ts';
import { startGraphQL } from './harness.ts';
import { collectSse, type Payload, wsClient } from './live-clients.ts';

let db: TestDatabase;
let g: Awaited<ReturnType<typeof startGraphQL>>;
let server: Awaited<ReturnType<typeof g.listen>>;
let jobId: number;
beforeAll(async () => {
  db = await createTestDatabase();
  g = await startGraphQL(db, { schedulerEnabled: false });
  server = await g.listen();
  jobId = await configId(db, 'player_analyzer');
});
afterAll(async () => {
  await server?.app.stop();
  await g?.stop();
  await db?.drop();
});

/** A read-only GraphQL layer with `limiter`, on its own real HTTP server, over the world's pubsub. */
async function listenWith(limiter: { usage(): RoutingUsage[] }) {
  const layer = readOnlyGraphQLServer({
    prisma: db.prisma,
    sql: db.pool,
    engine: g.engine,
    limiter,
    pubsub: g.pubsub,
    logger: g.logs.logger,
  });
  const app = buildApp({
    logger: g.logs.logger,
    health: async () => ({}),
    graphql: layer.mount(),
    shutdownGraceMs: 100,
  });
  const port = await app.start(0, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${port}/graphql` };
}

describe('the live-connection limit counts every stream Yoga answers', () => {
  const SUBSCRIBE = JSON.stringify({ query: 'subscription { executionStatusChanged { status } }' });

  test('whatever Accept made Yoga stream it: */event-stream, text/event-stream/x', async () => {
    const limited = await startGraphQL(db, {
      schedulerEnabled: false,
      maxLiveConnectionsPerAddress: 2,
    });
    const live = await limited.listen();
    const aborts: AbortController[] = [];
    const open = async (accept: string) => {
      const abort = new AbortController();
      aborts.push(abort);
      const response = await fetch(live.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept },
        body: SUBSCRIBE,
        signal: abort.signal,
      });
      const type = response.headers.get('content-type') ?? '';
      return {
        status: response.status,
        type: type.split(';')[0],
        body: type.includes('json') ? await response.json() : undefined,
        abort,
      };
    };
    const refused = {
      status: 429,
      type: 'application/json',
      body: { errors: [{ message: expect.any(String), extensions: { code: 'LIMIT_REACHED' } }] },
    };
    try {
      const streams = [await open('*/event-stream'), await open('text/event-stream/x')];
      for (const stream of streams) {
        expect(stream).toMatchObject({ status: 200, type: 'text/event-stream' });
      }
      for (const accept of ['*/event-stream', 'text/event-stream/x', 'text/event-stream', '*/*']) {
        expect(await open(accept)).toMatchObject(refused);
      }
      // Several at once, with one place left: one is streamed, the others refused.
      streams[0]?.abort.abort();
      await vi.waitFor(async () => {
        const next = await open('*/event-stream');
        next.abort.abort();
        expect(next.status).toBe(200);
      });
      const racing = await Promise.all(
        ['*/event-stream', 'text/event-stream/x', '*/*', 'text/*'].map(open),
      );
      expect(racing.map((r) => r.status).sort()).toEqual([200, 429, 429, 429]);
      for (const r of racing.filter((r) => r.status === 429)) expect(r).toMatchObject(refused);
      // A query is still answered as JSON to an address at its limit when it asks for JSON.
      const query = await fetch(live.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(await query.json()).toEqual({ data: { __typename: 'Query' } });
    } finally {
      for (const abort of aborts) abort.abort();
      await live.app.stop();
      await limited.stop();
    }
  });
});

describe('executionStatusChanged', () => {
  const STATUS = `subscription($job: ID) { executionStatusChanged(jobId: $job) { executionId status } }`;
  const event = (executionId: number, status: string, ms: number) => ({
    executionId,
    jobConfigId: jobId,
    jobType: 'player_analyzer',
    status: status as 'running',
    trigger: 'manual' as const,
    errorMessage: status === 'cancelled' ? 'Cancelled by operator' : null,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, ms)).toISOString(),
  });

  test("an execution's second final status is not passed on, over graphql-ws and SSE", async () => {
    const client = wsClient(server.url);
    const ws: string[] = [];
    const sse: string[] = [];
    const label = (p: Payload) => {
      const e = p.data?.executionStatusChanged;
      return `${e?.executionId}:${e?.status}`;
    };
    const abort = new AbortController();
    const overSse = collectSse(
      server.url,
      STATUS,
      { job: String(jobId) },
      (p) => {
        sse.push(label(p));
        if (sse.length === 3) abort.abort();
      },
      abort.signal,
    );
    const overWs = (async () => {
      for await (const p of client.iterate({ query: STATUS, variables: { job: String(jobId) } })) {
        ws.push(label(p as Payload));
        if (ws.length === 3) break;
      }
    })();
    // Until both listen (a repeated running is dropped as no news).
    await vi.waitFor(
      () => {
        g.pubsub.publish('executionStatus', event(900_001, 'running', 1));
        expect([ws.length, sse.length]).toEqual([1, 1]);
      },
      { timeout: 10_000, interval: 50 },
    );
    g.pubsub.publish('executionStatus', event(900_001, 'cancelled', 2)); // the operator's cancel
    g.pubsub.publish('executionStatus', event(900_001, 'failed', 3)); // the slow worker's own end
    // Last on the same topic: what came before it and was not passed on never will be.
    g.pubsub.publish('executionStatus', event(900_002, 'success', 4));
    await overWs;
    await overSse;
    await client.dispose();
    const id = (n: number) => Buffer.from(`JobExecution:${n}`).toString('base64');
    const expected = [
      `${id(900_001)}:running`,
      `${id(900_001)}:cancelled`,
      `${id(900_002)}:success`,
    ];
    expect({ ws, sse }).toEqual({ ws: expected, sse: expected });
  });
});

describe('rateLimitUsage', () => {
  const USAGE = 'subscription { rateLimitUsage { routing windows { used } } }';
  const usage = (used: number): RoutingUsage => ({
    routing: 'kr',
    app: [{ limit: 100, used, windowSeconds: 120, percentage: used }],
    methods: {},
    queued: 0,
    blockedForMs: 0,
  });

  test('a change published right after the snapshot is taken follows it, over graphql-ws and SSE', async () => {
    // The limiter changes just after each subscriber reads it: before the fix, the subscription
    // only listened once the client had read the snapshot, and this change was lost.
    const limiter = {
      usage() {
        queueMicrotask(() => g.pubsub.publish('rateLimitUsage', toEvent(usage(60))));
        return [usage(10)];
      },
    };
    const live = await listenWith(limiter);
    const client = wsClient(live.url);
    const label = (p: Payload) =>
      `${p.data?.rateLimitUsage.routing}:${p.data?.rateLimitUsage.windows[0]?.used}`;
    try {
      const overWs = (async () => {
        const seen: string[] = [];
        for await (const p of client.iterate({ query: USAGE })) {
          seen.push(label(p as Payload));
          if (seen.length === 2) break;
        }
        return seen;
      })();
      const abort = new AbortController();
      const sse: string[] = [];
      const overSse = collectSse(
        live.url,
        USAGE,
        {},
        (p) => {
          sse.push(label(p));
          if (sse.length === 2) abort.abort();
        },
        abort.signal,
      );
      const timeout = new Promise((resolve) => setTimeout(resolve, 3000, 'timed out'));
      const ws = await Promise.race([overWs, timeout]);
      await Promise.race([overSse, timeout]);
      abort.abort();
      // Each subscriber's snapshot, then the change (once per subscriber: both published it).
      expect({ ws, sse }).toEqual({ ws: ['kr:10', 'kr:60'], sse: ['kr:10', 'kr:60'] });
    } finally {
      await client.dispose();
      await live.app.stop();
    }
  });
});
