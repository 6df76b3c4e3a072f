import pg from 'pg';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { cannotConnect } from '../startup-error.ts';
import { prepareDataDir } from './data-dir.ts';
import { OWN_APPLICATION_NAME, startEmbeddedPostgres } from './embedded.ts';
import { migrate } from './migrate.ts';
import { createPool, createPrisma, type PrismaClient } from './prisma.ts';

const EMBEDDED_DATABASE = 'riftwatch';

export type Database = {
  url: string;
  prisma: PrismaClient;
  /** The pool under Prisma, for reads that skip it (see prisma.ts). */
  pool: pg.Pool;
  stop(): Promise<void>;
};

type DatabaseConfig = Pick<Config, 'database' | 'dataDir'>;

/** Told the stop of an embedded PostgreSQL the moment it has started, before anything else. */
export type OnServerStarted = (stop: () => Promise<void>) => void;

/**
 * Resolves the database URL: DATABASE_URL when set, otherwise the embedded PostgreSQL in the data
 * folder (started now, stopped by `stop`, which `onServerStarted` also gets as soon as it has
 * started: a shutdown during start-up stops it). Does not connect or migrate.
 */
export async function resolveDatabaseUrl(
  config: DatabaseConfig,
  logger: Logger,
  onServerStarted: OnServerStarted = () => {},
): Promise<{ url: string; stop(): Promise<void> }> {
  if (config.database.url) {
    await assertPostgresReachable(config.database.url, 'DATABASE_URL');
    return { url: config.database.url, stop: async () => {} };
  }
  await prepareDataDir(config.dataDir);
  const server = await startEmbeddedPostgres(`${config.dataDir}/postgres`, logger, onServerStarted);
  onServerStarted(server.stop);
  try {
    await ensureDatabase(server.serverUrl, EMBEDDED_DATABASE);
  } catch (error) {
    await server.stop();
    throw error;
  }
  // Its sessions named: a stop during start-up does not count them as another process's.
  const url = `${server.serverUrl}/${EMBEDDED_DATABASE}?application_name=${OWN_APPLICATION_NAME}`;
  return { url, stop: server.stop };
}

/**
 * Resolves, migrates and connects: the database riftwatch runs on. `onServerStarted`: see
 * resolveDatabaseUrl; the server is stopped here too when a later step fails.
 */
export async function openDatabase(
  config: DatabaseConfig,
  logger: Logger,
  onServerStarted?: OnServerStarted,
): Promise<Database> {
  const resolved = await resolveDatabaseUrl(config, logger, onServerStarted);
  // Connects on first use only.
  const pool = createPool(resolved.url, config.database);
  try {
    const result = await migrate(resolved.url, { logger });
    logger.info(
      { applied: result.applied.length, alreadyApplied: result.alreadyApplied.length },
      'Database migrated',
    );
    const prisma = createPrisma(pool);
    await prisma.$connect();
    return {
      url: resolved.url,
      prisma,
      pool,
      stop: async () => {
        try {
          await prisma.$disconnect();
        } finally {
          await pool.end();
          await resolved.stop();
        }
      },
    };
  } catch (error) {
    await pool.end();
    await resolved.stop();
    throw error;
  }
}

/**
 * Fails with one line naming host, port and `variable` (never the password) when the PostgreSQL at
 * `url` cannot be reached.
 */
export async function assertPostgresReachable(url: string, variable: string): Promise<void> {
  let client: pg.Client | undefined;
  try {
    // Inside the try: pg throws on a URL it cannot parse.
    client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    client.on('error', () => {});
    await client.connect();
  } catch (error) {
    throw cannotConnect({ service: 'PostgreSQL', variable, url, defaultPort: 5432 }, error);
  } finally {
    await client?.end().catch(() => {});
  }
}

/** Creates `name` on the server unless it exists. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  client.on('error', () => {}); // a dropped connection also rejects the pending query
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`).catch((error) => {
        // Another process starting at the same time created it first: what we wanted.
        if (!['42P04', '23505'].includes((error as { code?: string }).code ?? '')) throw error;
      });
    }
  } finally {
    await client.end();
  }
}
