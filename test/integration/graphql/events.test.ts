import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { createEventBus, type EventBus } from '../../../src/events/pubsub.ts';
import { buildApp } from '../../../src/http/app.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { readOnlyGraphQL, startGraphQL } from './harness.ts';
import { collectSse, type Payload } from './live-clients.ts';
import { ALICE, seedPlayers } from './seed.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let db: TestDatabase;
let g: Awaited<ReturnType<typeof startGraphQL>>;
let api: EventBus;
let worker: EventBus;
let url: string;
let stopServer: () => Promise<void>;
beforeAll(async () => {
  db = await createTestDatabase();
  await seedPlayers(db);
  g = await startGraphQL(db, { schedulerEnabled: false });
  // Two buses on Redis: the API process's and another process's (a worker).
  api = createEventBus({ redisUrl: REDIS_URL, logger: g.logs.logger });
  worker = createEventBus({ redisUrl: REDIS_URL, logger: g.logs.logger });
  await Promise.all([api.start(), worker.start()]);
  const server = readOnlyGraphQL(g, db, api.pubsub);
  const app = buildApp({
    logger: g.logs.logger,
    health: async () => ({}),
    graphql: server.mount(),
  });
  url = `http://127.0.0.1:${await app.start(0, '127.0.0.1')}/graphql`;
  stopServer = app.stop;
});
afterAll(async () => {
  await stopServer?.();
  await Promise.all([api?.stop(), worker?.stop()]);
  await g?.stop();
  await db?.drop();
});
/** A routing value no other test publishes. */
const ROUTING = `test-${process.pid}`;

/**
 * Subscribes over SSE, runs `act` once subscribed, resolves once `until` accepts the payloads so
 * far. Redis is shared with other test files: their events may arrive too.
 */
async function receive(
  query: string,
  until: (payloads: Payload[]) => boolean,
  act: () => unknown,
): Promise<Payload[]> {
  const controller = new AbortController();
  const payloads: Payload[] = [];
  const done = new Promise<void>((resolve) => {
    void collectSse(
      url,
      query,
      {},
      (p) => {
        payloads.push(p);
        if (until(payloads)) resolve();
      },
      controller.signal,
    );
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  act();
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 5000))]);
  controller.abort();
  return payloads;
}

test('playerFlagged from another process arrives through Redis, with the player', async () => {
  const payloads = await receive(
    'subscription { playerFlagged { puuid riotId smurfScore confidence player { riotId isFlagged } } }',
    (ps) => ps.some((p) => p.data?.playerFlagged.puuid === ALICE),
    () =>
      worker.pubsub.publish('playerFlagged', {
        puuid: ALICE,
        riotId: 'Alice#EUW',
        smurfScore: 0.91,
        confidence: 'high',
        at: new Date().toISOString(),
      }),
  );
  expect(payloads.find((p) => p.data?.playerFlagged.puuid === ALICE)?.data?.playerFlagged).toEqual({
    puuid: ALICE,
    riotId: 'Alice#EUW',
    smurfScore: 0.91,
    confidence: 'high',
    player: { riotId: 'Alice#EUW', isFlagged: true },
  });
});

test("rateLimitUsage: this process's limiter first, then events from elsewhere", async () => {
  await g.pair.client.getAccountByPuuid('europe', ALICE).catch(() => {});
  const payloads = await receive(
    'subscription { rateLimitUsage { routing queued blockedForSeconds windows { scope used limit percentage } } }',
    (ps) => ps.some((p) => p.data?.rateLimitUsage.routing === ROUTING),
    () =>
      worker.pubsub.publish('rateLimitUsage', {
        routing: ROUTING,
        windows: [{ scope: 'app', limit: 100, used: 25, windowSeconds: 120 }],
        queued: 3,
        blockedForMs: 4500,
        at: new Date().toISOString(),
      }),
  );
  const usages = payloads.map((p) => p.data?.rateLimitUsage);
  // The limiter's state comes first, before any event.
  const now = usages[0];
  const event = usages.find((u) => u.routing === ROUTING);
  expect(now.routing).toBe('europe');
  expect(now.queued).toBe(0);
  expect(now.windows.find((w: { scope: string }) => w.scope === 'app').used).toBeGreaterThan(0);
  // Its queue and 429 block travel with it.
  expect(event).toEqual({
    routing: ROUTING,
    queued: 3,
    blockedForSeconds: 4.5,
    windows: [{ scope: 'app', used: 25, limit: 100, percentage: 25 }],
  });
});

test('job progress and status from another process arrive through Redis, in order, to the end', async () => {
  const { rows } = await db.sql<{ id: number; job_config_id: number }>(
    `INSERT INTO job_executions (job_config_id, status, trigger, started_at)
     VALUES (1, 'running', 'manual', now()) RETURNING id, job_config_id`,
  );
  const { id: executionId, job_config_id: jobConfigId } = rows[0] as {
    id: number;
    job_config_id: number;
  };
  const event = { executionId, jobConfigId, jobType: 'tracked_player_updater' };
  const statuses: string[] = [];
  const status = receive(
    `subscription { executionStatusChanged(executionId: "${executionId}") { status } }`,
    (ps) => {
      statuses.splice(0, statuses.length, ...ps.map((p) => p.data?.executionStatusChanged.status));
      return statuses.includes('success');
    },
    () => {},
  );
  const progress = receive(
    `subscription { jobProgress(executionId: "${executionId}") { status processed total } }`,
    (ps) => ps.some((p) => p.data?.jobProgress.status === 'success'),
    async () => {
      // The status stream listens once it has the row's status.
      await vi.waitFor(() => expect(statuses).toContain('running'));
      for (const processed of [1, 2]) {
        worker.pubsub.publish('jobProgress', {
          ...event,
          phase: 'players',
          processed,
          total: 2,
          apiRequestsMade: processed,
          recordsCreated: 0,
          recordsUpdated: processed,
          at: new Date().toISOString(),
        });
      }
      worker.pubsub.publish('executionStatus', {
        ...event,
        status: 'success',
        trigger: 'manual',
        errorMessage: null,
        at: new Date(Date.now() + 1).toISOString(),
      });
    },
  );
  const events = (await progress).map((p) => p.data?.jobProgress);
  expect(events).toEqual([
    { status: 'running', processed: 0, total: null },
    { status: 'running', processed: 1, total: 2 },
    { status: 'running', processed: 2, total: 2 },
    { status: 'success', processed: 2, total: 2 },
  ]);
  await status;
  expect(statuses).toEqual(['running', 'success']);
});
