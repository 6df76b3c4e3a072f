import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ensureDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { createPool, createPrisma } from '../src/db/prisma.ts';
import { createEventBus } from '../src/events/pubsub.ts';
import { createAdminAuth } from '../src/graphql/auth.ts';
import { createGraphQLServer } from '../src/graphql/server.ts';
import { createMutationThrottle } from '../src/graphql/throttle.ts';
import { createJobOperations } from '../src/jobs/admin/operations.ts';
import { createJobEngine } from '../src/jobs/engine/index.ts';
import { createJobRegistry } from '../src/jobs/registry.ts';
import { silentLogger } from '../src/logger.ts';
import { createRateLimiter } from '../src/riot/rate-limiter.ts';
import { countingPrisma, SEED_PLAYERS_SQL } from '../test/helpers/counting-prisma.ts';

/** A fresh, migrated and seeded database on DATABASE_URL's server, and the GraphQL layer on it. */
export async function setUp(players: number) {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('Set DATABASE_URL (any database on the server to use)');
  const server = new URL(base);
  server.pathname = '';
  const serverUrl = server.toString().replace(/\/$/, '');
  const name = `rw_bench_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(serverUrl, name);
  const url = `${serverUrl}/${name}`;
  await migrate(url);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  await pool.query(SEED_PLAYERS_SQL(players));
  await pool.query('ANALYZE');

  const logger = silentLogger();
  // Counting statements costs time per statement: the timed requests use a pool without.
  const prismaPool = createPool(url, { poolSize: 4, maxOverflow: 0 });
  const prisma = createPrisma(prismaPool);
  const counting = countingPrisma(url);
  const events = createEventBus({ logger });
  const engine = createJobEngine({
    prisma,
    databaseUrl: url,
    logger,
    pubsub: events.pubsub,
    jobs: { schedulerEnabled: false, intervalSeconds: 120, timeoutSeconds: 90 },
    registry: createJobRegistry({ executionRetentionDays: 30 }),
  });
  await engine.start();
  const unused = () => Promise.reject(new Error('not used by the benchmark'));
  const serverOn = (client: typeof prisma, sql: pg.Pool) =>
    createGraphQLServer({
      prisma: client,
      sql,
      players: { track: unused, untrack: unused, listTracked: unused, maxTrackedPlayers: 0 },
      jobs: createJobOperations({ prisma: client, engine }),
      engine,
      limiter: createRateLimiter(),
      pubsub: events.pubsub,
      auth: createAdminAuth({ adminToken: 'bench' }),
      throttle: createMutationThrottle(),
      logger,
    });
  return {
    pool,
    prisma,
    graphql: serverOn(prisma, prismaPool),
    counting: { graphql: serverOn(counting.prisma, counting.pool), counter: counting.counter },
    pubsub: events.pubsub,
    tearDown: async () => {
      await engine.stop();
      await prisma.$disconnect();
      await prismaPool.end();
      await counting.prisma.$disconnect();
      await counting.pool.end();
      await pool.end();
      const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
