import pg from 'pg';
import type { PrismaClient, SqlReader } from '../src/db/prisma.ts';
import { createEventBus, type RiftwatchPubSub } from '../src/events/pubsub.ts';
import { createJobEngine, type JobEngine } from '../src/jobs/engine/index.ts';
import { createJobRegistry } from '../src/jobs/registry.ts';
import { silentLogger } from '../src/logger.ts';
import { createRateLimiter } from '../src/riot/rate-limiter.ts';
import { countingPrisma, SEED_PLAYERS_SQL } from '../test/helpers/counting-prisma.ts';
import { readOnlyGraphQLServer } from '../test/helpers/read-only-graphql.ts';
import { createBenchDatabase } from './bench-db.ts';

/** The job engine the GraphQL layer reads jobs from: started, its scheduler off. */
export async function startBenchEngine(prisma: PrismaClient, url: string, pubsub: RiftwatchPubSub) {
  const engine = createJobEngine({
    prisma,
    databaseUrl: url,
    logger: silentLogger(),
    pubsub,
    jobs: { schedulerEnabled: false, intervalSeconds: 120, timeoutSeconds: 90 },
    registry: createJobRegistry({ executionRetentionDays: 30 }),
  });
  await engine.start();
  return engine;
}

/** The GraphQL server on `prisma` and its pool; tracking (Riot lookups) is not benchmarked. */
export function benchGraphQLServer(deps: {
  prisma: PrismaClient;
  sql: SqlReader;
  engine: JobEngine;
  pubsub: RiftwatchPubSub;
}) {
  return readOnlyGraphQLServer({
    ...deps,
    limiter: createRateLimiter(),
    logger: silentLogger(),
    // The subscribers of the fan-out bench all connect from loopback.
    maxLiveConnectionsPerAddress: 100_000,
  });
}

/**
 * A reader that sends each statement text to `pool` once and afterwards answers it with copies
 * of the rows it got then, without the database: what the GraphQL layer costs by itself.
 */
function replaying(pool: pg.Pool): SqlReader {
  const answers = new Map<string, Record<string, unknown>[]>();
  const query = async (config: string | pg.QueryConfig, values?: unknown[]) => {
    const text = typeof config === 'string' ? config : config.text;
    let rows = answers.get(text);
    if (!rows) {
      rows = (await pool.query(config, values)).rows;
      answers.set(text, rows);
    }
    return { rows: rows.map((row) => ({ ...row })) };
  };
  return { query } as SqlReader;
}

/**
 * A fresh, migrated and seeded database (on DATABASE_URL's server, else an embedded one), and the
 * GraphQL layer on it.
 */
export async function setUp(players: number) {
  // The timed requests use a pool of 4, as the raw pg side does.
  const db = await createBenchDatabase('rw_bench_graphql', { poolSize: 4, maxOverflow: 0 });
  const { url, prisma } = db;
  const prismaPool = db.pool;
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  await pool.query(SEED_PLAYERS_SQL(players));
  await pool.query('ANALYZE');

  const logger = silentLogger();
  // Counting statements costs time per statement: the timed requests use a pool without.
  const counting = countingPrisma(url);
  const events = createEventBus({ logger });
  const engine = await startBenchEngine(prisma, url, events.pubsub);
  const serverOn = (client: PrismaClient, sql: SqlReader) =>
    benchGraphQLServer({ prisma: client, sql, engine, pubsub: events.pubsub });
  return {
    pool,
    prisma,
    graphql: serverOn(prisma, prismaPool),
    /** The same layer over rows read once and then replayed from memory (see `replaying`). */
    replayed: serverOn(prisma, replaying(prismaPool)),
    counting: { graphql: serverOn(counting.prisma, counting.pool), counter: counting.counter },
    pubsub: events.pubsub,
    tearDown: async () => {
      await engine.stop();
      await counting.prisma.$disconnect();
      await counting.pool.end();
      await pool.end();
      await db.drop();
    },
  };
}
