import type { RiftwatchPubSub } from '../../../src/events/pubsub.ts';
import { publishRateLimitUsage } from '../../../src/events/rate-limit-usage.ts';
import { createAdminAuth } from '../../../src/graphql/auth.ts';
import { createGraphQLServer } from '../../../src/graphql/server.ts';
import { createMutationThrottle, type ThrottleSettings } from '../../../src/graphql/throttle.ts';
import { createHealthCheck } from '../../../src/http/health.ts';
import { buildHttpSurface } from '../../../src/http/surface.ts';
import { createJobOperations } from '../../../src/jobs/admin/operations.ts';
import { createMetrics } from '../../../src/metrics/index.ts';
import { createPlayerTracking } from '../../../src/players/tracking.ts';
import { createRiotClient } from '../../../src/riot/client.ts';
import { createRateLimiter } from '../../../src/riot/rate-limiter.ts';
import { startSimulator } from '../../../src/riot/simulator/index.ts';
import type { TestDatabase } from '../../helpers/database.ts';
import { configId, sleepyRegistry, startEngine } from '../jobs/engine-harness.ts';

export const TOKEN = 'tooling-admin-token';

// biome-ignore lint/suspicious/noExplicitAny: test assertions over untyped JSON
export type Loose = any;

/**
 * riftwatch's HTTP surface wired as main.ts wires it (GraphQL, REST, /docs, /metrics, /health)
 * on a real port, over the real engine with the controllable sleepy jobs, the Riot simulator
 * and the test database.
 */
export async function startTooling(
  db: TestDatabase,
  options: {
    adminToken?: string | null;
    maxTrackedPlayers?: number;
    throttle?: ThrottleSettings;
    /**
     * The GraphQL server's own event bus, which the engine does not publish to: as when the
     * runs are another process's, without REDIS_URL.
     */
    graphqlPubsub?: RiftwatchPubSub;
  } = {},
) {
  const metrics = createMetrics({ processMetrics: false });
  const handle = await startEngine(db, { registry: sleepyRegistry, schedulerEnabled: false });
  const stopJobMetrics = metrics.jobs.observe({
    pubsub: handle.pubsub,
    prisma: db.prisma,
    logger: handle.logs.logger,
  });
  const simulator = await startSimulator({
    seed: 7,
    world: { playersPerPlatform: 20, historySlots: 30 },
  });
  const limiter = createRateLimiter({ marginMs: 0 });
  metrics.riot.observeLimiter(limiter);
  const stopUsageEvents = publishRateLimitUsage(limiter, handle.pubsub, 100);
  const riot = createRiotClient({
    baseUrl: simulator.baseUrlTemplate,
    apiKey: simulator.apiKey,
    limiter,
    maxRetries: 2,
    retryBaseDelayMs: 5,
    timeoutMs: 2_000,
    onRequest: metrics.riot.onRequest,
  });
  const graphql = createGraphQLServer({
    prisma: db.prisma,
    sql: db.pool,
    players: createPlayerTracking({
      prisma: db.prisma,
      riot,
      maxTrackedPlayers: options.maxTrackedPlayers ?? 3,
      defaultPlatform: 'euw1',
    }),
    jobs: createJobOperations({ prisma: db.prisma, engine: handle.engine }),
    engine: handle.engine,
    limiter,
    pubsub: options.graphqlPubsub ?? handle.pubsub,
    auth: createAdminAuth({
      adminToken: options.adminToken === null ? undefined : (options.adminToken ?? TOKEN),
    }),
    throttle: createMutationThrottle(options.throttle ?? { burst: 1000, perMinute: 60_000 }),
    logger: handle.logs.logger,
    plugins: [metrics.graphql.plugin],
  });
  const app = buildHttpSurface({
    logger: handle.logs.logger,
    graphql,
    metrics,
    health: createHealthCheck({
      logger: handle.logs.logger,
      probes: {
        database: () => db.prisma.$queryRaw`SELECT 1`,
        jobStore: () => handle.engine.nextRuns(),
      },
    }),
    shutdownGraceMs: 300,
  });
  const port = await app.start(0, '127.0.0.1');
  const base = `http://127.0.0.1:${port}`;
  return {
    ...handle,
    db,
    metrics,
    simulator,
    port,
    base,
    /** A job configuration's id by type. */
    jobId: (jobType: string) => configId(db, jobType),
    /** Sets the sleepy job's config of `jobType` by SQL. */
    async setSleepy(jobType: string, config: Record<string, unknown>) {
      await db.sql('UPDATE job_configurations SET config_json = $2 WHERE job_type = $1', [
        jobType,
        JSON.stringify(config),
      ]);
    },
    stop: async () => {
      await app.stop();
      await handle.engine.stop();
      await stopJobMetrics();
      stopUsageEvents();
      await simulator.stop();
    },
  };
}

export type Tooling = Awaited<ReturnType<typeof startTooling>>;

/** The rows a refused request must leave alone. */
export async function snapshot(db: TestDatabase) {
  const players = await db.sql('SELECT puuid, is_tracked, tracked_at FROM players ORDER BY puuid');
  const executions = await db.sql('SELECT id, status FROM job_executions ORDER BY id');
  const jobs = await db.sql(
    'SELECT id, is_active, schedule, config_json FROM job_configurations ORDER BY id',
  );
  return { players: players.rows, executions: executions.rows, jobs: jobs.rows };
}

/**
 * One REST request on `base`: a string `body` is sent as is, anything else as JSON; `token: null`
 * sends no Authorization header. `json` is null for an empty answer (HEAD).
 */
export async function restCall(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = TOKEN,
) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token && { authorization: `Bearer ${token}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: text ? (JSON.parse(text) as Loose) : null,
  };
}
