// Composition root: config → logger → database → events → Riot → jobs → HTTP; stopped in reverse
// order on SIGINT/SIGTERM (HTTP stops taking requests, the job engine drains, then HTTP closes,
// before Riot and the database go).
import { announceListening } from './banner.ts';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { trackDemoPlayersOnFirstStart } from './demo/first-start.ts';
import { createEventBus } from './events/pubsub.ts';
import { publishRateLimitUsage } from './events/rate-limit-usage.ts';
import { createAdminAuth } from './graphql/auth.ts';
import { createGraphQLServer } from './graphql/server.ts';
import { createMutationThrottle } from './graphql/throttle.ts';
import { createHealthCheck } from './http/health.ts';
import { buildHttpSurface } from './http/surface.ts';
import { createJobOperations } from './jobs/admin/operations.ts';
import { createJobEngine } from './jobs/engine/index.ts';
import { createJobRegistry } from './jobs/registry.ts';
import { createLogger, type Logger, resolveLogFormat } from './logger.ts';
import { createMetrics } from './metrics/index.ts';
import { createPlayerTracking } from './players/tracking.ts';
import { createRiotRuntime } from './riot/runtime.ts';
import { describeStartupError } from './startup-error.ts';

type Stoppable = { name: string; stop(): Promise<void> };

const started: Stoppable[] = [];
let rootLogger: Logger | undefined;
/** Set by the first signal: start-up stops at its next step, then everything stops. */
let stopRequested = false;
let stopping: Promise<void> | undefined;
let startupSettled = false;
let signals = 0;

/**
 * Stops what started, last first, once: a signal, a crash and a failed start all wait for the
 * same stop. One component failing does not keep the others running.
 */
function stopOnce(): Promise<void> {
  stopping ??= (async () => {
    for (const component of started.splice(0).reverse()) {
      await component
        .stop()
        .catch((err: unknown) =>
          rootLogger?.error({ err, component: component.name }, 'Stop failed'),
        );
    }
  })();
  return stopping;
}

/** Adds started components (stopped last first); false when a signal came: start no more. */
function keep(...components: Stoppable[]): boolean {
  started.push(...components);
  return !stopRequested;
}

/**
 * The first signal stops riftwatch in order: a start-up step under way finishes first (a
 * PostgreSQL being started is then known, and stopped), no further one begins, then running jobs
 * drain. A second one (Ctrl-C, then `docker stop`) waits for that, unless start-up is stuck (a
 * lock held elsewhere): then what has started stops now. A third one exits at once.
 */
function onSignal(startup: Promise<void>) {
  return (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals === 1) {
      rootLogger?.info({ signal }, 'Shutting down');
      stopRequested = true;
      void startup
        .catch(() => {})
        .then(stopOnce)
        .then(() => {
          rootLogger?.info('Stopped');
          process.exit(process.exitCode ?? 0);
        });
    } else if (signals === 2 && !startupSettled) {
      rootLogger?.warn({ signal }, 'Start-up still under way: stopping what has started');
      void stopOnce().then(() => process.exit(1));
    } else if (signals === 2) {
      rootLogger?.warn({ signal }, 'Already shutting down: waiting for it (again to exit at once)');
    } else {
      rootLogger?.warn({ signal }, 'Exiting without waiting for the shutdown');
      process.exit(1);
    }
  };
}

/** A crash still stops what started: an embedded PostgreSQL must not outlive riftwatch. */
function onFatal(kind: string) {
  return (error: unknown) => {
    rootLogger?.fatal({ err: error }, `Unexpected ${kind}: stopping`);
    if (!rootLogger) console.error(error);
    process.exitCode = 1;
    // A stop that hangs in a broken process must not keep it alive.
    setTimeout(() => process.exit(1), 15_000);
    void stopOnce().finally(() => process.exit(1));
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logFormat = resolveLogFormat(config.logFormat);
  const logger = createLogger(config.logLevel, { format: logFormat });
  rootLogger = logger;
  if (config.envFile) logger.info({ file: config.envFile }, 'Env file read');

  const metrics = createMetrics();
  // Kept before it opens: a shutdown during start-up (waiting on another process's migration
  // lock) stops the embedded PostgreSQL once it has started, not only once the database is open.
  let stopDatabase = async () => {};
  keep({ name: 'database', stop: () => stopDatabase() });
  const database = await openDatabase(config, logger, (stopServer) => {
    stopDatabase = stopServer;
  });
  stopDatabase = database.stop;
  if (stopRequested) return;

  const events = createEventBus({ redisUrl: config.redisUrl, logger });
  await events.start();
  if (!keep({ name: 'events', stop: events.stop })) return;
  const stopJobMetrics = metrics.jobs.observe({
    pubsub: events.pubsub,
    prisma: database.prisma,
    logger,
  });
  keep({ name: 'job metrics', stop: stopJobMetrics });

  const riot = await createRiotRuntime(
    config.riot,
    logger,
    config.redisUrl,
    metrics.riot.onRequest,
  );
  metrics.riot.observeLimiter(riot.limiter);
  if (!keep({ name: 'riot', stop: riot.stop })) return;
  const stopUsageEvents = publishRateLimitUsage(riot.limiter, events.pubsub);
  keep({ name: 'rate-limit usage events', stop: async () => stopUsageEvents() });

  const jobs = createJobEngine({
    prisma: database.prisma,
    databaseUrl: database.url,
    jobStoreUrl: config.jobStoreUrl,
    logger,
    pubsub: events.pubsub,
    riot: riot.client,
    jobs: config.jobs,
    registry: createJobRegistry(config.jobs),
  });

  const auth = createAdminAuth({ adminToken: config.adminToken });
  if (!auth.tokenConfigured) {
    logger.warn(
      'ADMIN_TOKEN not set: GraphQL mutations are accepted from loopback (127.0.0.1, ::1) only',
    );
  }
  const graphql = createGraphQLServer({
    prisma: database.prisma,
    sql: database.pool,
    players: createPlayerTracking({
      prisma: database.prisma,
      riot: riot.client,
      maxTrackedPlayers: config.maxTrackedPlayers,
      defaultPlatform: config.riot.defaultPlatform,
    }),
    jobs: createJobOperations({ prisma: database.prisma, engine: jobs }),
    engine: jobs,
    limiter: riot.limiter,
    pubsub: events.pubsub,
    auth,
    throttle: createMutationThrottle(config.mutationThrottle),
    maxLiveConnectionsPerAddress: config.liveConnectionsPerAddress,
    logger,
    plugins: [metrics.graphql.plugin],
  });

  const ready = readyGate();
  const app = buildHttpSurface({
    logger,
    graphql,
    metrics,
    ready: ready.promise,
    health: createHealthCheck({
      logger,
      probes: {
        database: () => database.prisma.$queryRaw`SELECT 1`,
        jobStore: () => jobs.nextRuns(),
      },
      details: () => ({
        jobs: { scheduler: jobs.schedulerEnabled ? 'enabled' : 'disabled', worker: jobs.workerId },
        events: events.transport,
      }),
    }),
  });
  // The port first: a start that cannot listen fails before any job runs. Requests wait for the
  // engine, and are answered 503 if it does not start.
  const port = await app.start(config.port);
  // Its stop also answers 503 what waits for the engine.
  if (!keep({ name: 'http', stop: app.stop })) return;
  // Stopped in reverse: no new request reaches a draining engine, and subscribers (the dashboard,
  // `jobs trigger --wait`) still see how the runs drained at shutdown ended. Kept before the start:
  // a start that fails midway has already opened its listener (the liveness lock) and store.
  const drainFirst = [
    { name: 'jobs', stop: jobs.stop },
    { name: 'http requests', stop: app.stopAccepting },
  ];
  if (!keep(...drainFirst)) return;
  await jobs.start().catch((error: unknown) => {
    ready.fail();
    // A signal meanwhile stops the engine under its start, which may then fail: that is the stop.
    if (!stopRequested) throw error;
  });
  if (stopRequested) return;
  ready.open();
  await trackDemoPlayersOnFirstStart({
    prisma: database.prisma,
    riot: riot.client,
    simulator: riot.simulator,
    jobs,
    maxTrackedPlayers: config.maxTrackedPlayers,
    platform: config.riot.defaultPlatform,
    logger,
  });
  announceListening(logger, logFormat, {
    port,
    database: config.database.url ? 'DATABASE_URL' : 'embedded',
    simulated: riot.simulator !== null,
  });
}

/** What HTTP requests wait for during start-up: open() to serve them, fail() to answer 503. */
function readyGate() {
  let open = () => {};
  let fail = () => {};
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = () => reject(new Error('start-up failed'));
  });
  return { promise, open, fail };
}

// A failed start stops what it started (an embedded PostgreSQL must not outlive it) and prints one
// line on stderr; the stack is in the log at debug level.
const startup = main().finally(() => {
  startupSettled = true;
});
process.on('SIGINT', onSignal(startup));
process.on('SIGTERM', onSignal(startup));
process.on('uncaughtException', onFatal('error'));
process.on('unhandledRejection', onFatal('rejection'));
startup.catch(async (error: unknown) => {
  rootLogger?.debug({ err: error }, 'Start-up failed');
  await stopOnce();
  console.error(describeStartupError(error));
  process.exit(1);
});
