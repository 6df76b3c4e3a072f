import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { toEvent } from '../../../src/events/rate-limit-usage.ts';
import { COMPILE_AFTER } from '../../../src/graphql/compiled-queries.ts';
import { buildApp } from '../../../src/http/app.ts';
import type { RoutingUsage } from '../../../src/riot/rate-limiter-usage.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { readOnlyGraphQLServer } from '../../helpers/read-only-graphql.ts';
import { configId, waitFor } from '../jobs/engine-harness.ts';
import { type Loose, startGraphQL, TOKEN } from './harness.ts';
import { collect, collectSse, type Payload, wsClient } from './live-clients.ts';

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

const PROGRESS = `subscription($id: ID!) { jobProgress(executionId: $id) {
  executionId status phase processed total recordsCreated errorMessage } }`;
const RANK: Record<string, number> = {
  pending: 0,
  running: 1,
  success: 2,
  failed: 2,
  cancelled: 2,
};

async function trigger(sleepMs: number, steps = 4): Promise<number> {
  await db.sql('UPDATE job_configurations SET config_json = $2 WHERE id = $1', [
    jobId,
    JSON.stringify({ sleep_ms: sleepMs, steps }),
  ]);
  const r = await g.gql(`mutation { triggerJob(input: { jobId: "${jobId}" }) {
    ... on ExecutionPayload { execution { databaseId } } } }`);
  return r.data?.triggerJob.execution.databaseId;
}

/** Statuses never go back, counts never shrink, and the stream ends on `final`. */
function expectOrdered(events: Record<string, Loose>[], final: string, steps: number) {
  for (const [i, e] of events.entries()) {
    const prev = events[i - 1];
    if (!prev) continue;
    expect(RANK[e.status]).toBeGreaterThanOrEqual(RANK[prev.status] as number);
    expect(e.processed).toBeGreaterThanOrEqual(prev.processed);
  }
  expect(events.at(-1)).toMatchObject({ status: final, processed: steps, total: steps });
}

describe('graphql-ws', () => {
  test("a triggered job's progress and status arrive in order and end with the final status", async () => {
    const client = wsClient(server.url);
    const statuses: string[] = [];
    const watchStatus = client.iterate({
      query: `subscription { executionStatusChanged(jobId: "${jobId}") { status executionId } }`,
    });
    const statusDone = (async () => {
      for await (const r of watchStatus) {
        statuses.push((r as Payload).data?.executionStatusChanged.status);
        if (statuses.at(-1) === 'success') break;
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    const id = await trigger(800);
    const results = await collect(client, PROGRESS, { id: String(id) });
    const events = results.map((r) => r.data?.jobProgress);
    expect(events.length).toBeGreaterThanOrEqual(5);
    expectOrdered(events, 'success', 4);
    expect(events.filter((e) => e.status === 'running').map((e) => e.processed)).toEqual(
      expect.arrayContaining([1, 2, 3, 4]),
    );
    await statusDone;
    expect(statuses).toEqual(['pending', 'running', 'success']);
    await client.dispose();
  });

  test('a subscriber that connects mid-run gets the current state first, then the changes', async () => {
    const id = await trigger(3000, 3);
    const written = await waitFor(
      async () =>
        (await db.sql('SELECT progress FROM job_executions WHERE id = $1', [id])).rows[0]?.progress,
      10_000,
      'the first progress written',
    );
    const client = wsClient(server.url);
    const subscribedAt = Date.now();
    let firstAfterMs = 0;
    const results = await collect(client, PROGRESS, { id: String(id) }, () => {
      firstAfterMs ||= Date.now() - subscribedAt;
    });
    const events = results.map((r) => r.data?.jobProgress);
    // The row's state, at once: the next step is a second away.
    expect(events[0]).toMatchObject({ status: 'running', phase: 'steps', total: 3 });
    expect(events[0].processed).toBe(written.processed);
    expect(firstAfterMs).toBeLessThan(600);
    expectOrdered(events, 'success', 3);
    await client.dispose();
  });

  test('mutations over WebSocket: refused without the token, accepted with it', async () => {
    const mutation = `mutation { configureJob(input: { jobId: "${jobId}", isActive: false }) {
      __typename ... on Error { code } } }`;
    const before = (await db.sql('SELECT is_active FROM job_configurations WHERE id = $1', [jobId]))
      .rows;
    for (const params of [undefined, { authorization: 'Bearer nope' }, { token: 'nope' }]) {
      const client = wsClient(server.url, params);
      const [result] = await collect(client, mutation);
      expect(result?.data?.configureJob).toEqual({
        __typename: 'UnauthenticatedError',
        code: 'UNAUTHENTICATED',
      });
      await client.dispose();
    }
    expect(
      (await db.sql('SELECT is_active FROM job_configurations WHERE id = $1', [jobId])).rows,
    ).toEqual(before);
    for (const params of [{ authorization: `Bearer ${TOKEN}` }, { token: TOKEN }]) {
      const client = wsClient(server.url, params);
      const [result] = await collect(client, mutation);
      expect(result?.data?.configureJob.__typename).toBe('JobPayload');
      await client.dispose();
    }
    await db.sql('UPDATE job_configurations SET is_active = true WHERE id = $1', [jobId]);
  });

  test('an unknown execution is NOT_FOUND; invalid documents are INVALID_INPUT', async () => {
    const client = wsClient(server.url);
    // graphql-ws rejects the operation with its errors.
    const missing = await collect(client, PROGRESS, { id: '987654' }).catch((e: unknown) => e);
    expect(missing).toEqual([
      { message: 'Job execution 987654 not found', extensions: { code: 'NOT_FOUND' } },
    ]);
    const invalid = await collect(client, 'subscription { nope }').catch((e: unknown) => e);
    expect(JSON.stringify(invalid)).toContain('INVALID_INPUT');
    await client.dispose();
  });
});

describe('HTTP', () => {
  test('queries over the real server, GET and POST', async () => {
    const query = encodeURIComponent('{ jobs { name } }');
    const get = await (await fetch(`${server.url}?query=${query}`)).json();
    expect(get.data.jobs).toHaveLength(3);
    const post = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ statusOverview { scheduler { enabled } } }' }),
    });
    expect(await post.json()).toEqual({
      data: { statusOverview: { scheduler: { enabled: false } } },
    });
  });

  test('GraphiQL is served from the package with the example tabs', async () => {
    const page = await (await fetch(server.url, { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('riftwatch GraphQL');
    // The three example tabs, and subscriptions over graphql-ws (the options GraphiQL starts with).
    for (const name of ['StatusOverview', 'TrackPlayer', 'TriggerJob', 'WatchProgress']) {
      expect(page).toContain(name);
    }
    expect(page).toContain('"subscriptionsProtocol":"WS"');
    expect(page).not.toMatch(/<script[^>]+src="https?:/);
  });
});

describe('SSE', () => {
  test('progress and status over Server-Sent Events: every step in order, ending with the final status', async () => {
    const controller = new AbortController();
    // Both streams are open before the job is triggered: everything they get is a change. Each
    // is closed once it has the final status.
    let ended = 0;
    const endOnSuccess = (status: string | undefined) => {
      if (status === 'success' && ++ended === 2) controller.abort();
    };
    const statuses = collectSse(
      server.url,
      `subscription($job: ID!) { executionStatusChanged(jobId: $job) { status executionId } }`,
      { job: String(jobId) },
      (p) => endOnSuccess(p.data?.executionStatusChanged.status),
      controller.signal,
    );
    const progress = collectSse(
      server.url,
      `subscription($job: ID!) { jobProgress(jobId: $job) { executionId status processed total } }`,
      { job: String(jobId) },
      (p) => endOnSuccess(p.data?.jobProgress.status),
      controller.signal,
    );
    await new Promise((r) => setTimeout(r, 300));
    const id = await trigger(600);
    const { payloads, completed } = await collectSse(server.url, PROGRESS, { id: String(id) });
    expect(completed).toBe(true);
    const events = payloads.map((p) => p.data?.jobProgress);
    expectOrdered(events, 'success', 4);
    const job = (await progress).payloads.map((p) => p.data?.jobProgress);
    expect(job.every((e) => e.executionId === events[0].executionId)).toBe(true);
    expectOrdered(job, 'success', 4);
    // Every step of the run, each once, as the job reported it.
    expect(job.filter((e) => e.status === 'running').map((e) => e.processed)).toEqual(
      expect.arrayContaining([1, 2, 3, 4]),
    );
    expect((await statuses).payloads.map((p) => p.data?.executionStatusChanged.status)).toEqual([
      'pending',
      'running',
      'success',
    ]);
  });
});

describe('executionStatusChanged', () => {
  const STATUS = `subscription($id: ID, $job: ID) { executionStatusChanged(executionId: $id, jobId: $job) {
    executionId status trigger } }`;

  test('the current status of a running execution first, then its changes; with executionId it ends', async () => {
    const id = await trigger(1500, 2);
    await waitFor(
      async () =>
        (await db.sql('SELECT status FROM job_executions WHERE id = $1', [id])).rows[0]?.status ===
        'running',
      10_000,
      'the run started',
    );
    const client = wsClient(server.url);
    const byJob = client.iterate({ query: STATUS, variables: { job: String(jobId) } });
    const first = await byJob.next();
    expect((first.value as Payload).data?.executionStatusChanged).toMatchObject({
      status: 'running',
      trigger: 'manual',
    });
    const results = await collect(client, STATUS, { id: String(id) });
    expect(results.map((r) => r.data?.executionStatusChanged.status)).toEqual([
      'running',
      'success',
    ]);
    const next = await byJob.next();
    expect((next.value as Payload).data?.executionStatusChanged.status).toBe('success');
    await byJob.return?.();
    await client.dispose();
  });

  test('ids are checked when subscribing: INVALID_INPUT, NOT_FOUND', async () => {
    const client = wsClient(server.url);
    const invalid = await collect(client, STATUS, { job: 'zz' }).catch((e: unknown) => e);
    expect(JSON.stringify(invalid)).toContain('INVALID_INPUT');
    const missing = await collect(client, STATUS, { id: '987654' }).catch((e: unknown) => e);
    expect(missing).toEqual([
      { message: 'Job execution 987654 not found', extensions: { code: 'NOT_FOUND' } },
    ]);
    // A job that does not exist would otherwise keep the subscriber waiting for good.
    const noJob = await collect(client, STATUS, { job: '424242' }).catch((e: unknown) => e);
    expect(noJob).toEqual([
      { message: 'Job configuration 424242 not found', extensions: { code: 'NOT_FOUND' } },
    ]);
    await client.dispose();
  });

  test('a stream that fails unexpectedly is masked, with the request id of its log line', async () => {
    // The initial read fails: a column the schema knows is missing.
    await db.sql('ALTER TABLE job_executions RENAME COLUMN progress TO progress_gone');
    const query = `subscription { jobProgress(jobId: "${jobId}") { status } }`;
    try {
      const { payloads } = await collectSse(server.url, query);
      // Twice more over WebSocket: the last run is compiled (graphql-jit), the others are not.
      const client = wsClient(server.url);
      const overWs: Loose[] = [];
      for (let i = 0; i < COMPILE_AFTER; i++) {
        overWs.push(
          ...(await collect(client, query).then(
            () => [],
            (errors: Loose[]) => errors,
          )),
        );
      }
      await client.dispose();
      expect(overWs).toHaveLength(COMPILE_AFTER);
      for (const error of [payloads[0]?.errors?.[0], ...overWs] as Loose[]) {
        expect(error).toMatchObject({
          message: 'Unexpected error.',
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: expect.any(String) },
        });
        const line = g.logs.lines.find((l) => l.request_id === error.extensions.requestId);
        expect(line?.msg).toBe('Unexpected GraphQL error');
        expect((line?.err as Loose)?.message).toContain('progress');
      }
      expect(payloads).toHaveLength(1);
      expect(JSON.stringify([payloads, overWs])).not.toContain('progress');
    } finally {
      await db.sql('ALTER TABLE job_executions RENAME COLUMN progress_gone TO progress');
    }
  });
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

describe('executionStatusChanged after a final status', () => {
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
