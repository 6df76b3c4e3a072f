/** A fresh, migrated database for a benchmark: on DATABASE_URL's server, else an embedded one. */
import pg from 'pg';
import { ensureDatabase } from '../src/db/database.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { migrate } from '../src/db/migrate.ts';
import { createPool, createPrisma, type PrismaClient } from '../src/db/prisma.ts';
import { silentLogger } from '../src/logger.ts';

export type BenchDatabase = {
  url: string;
  /** The pool under `prisma`. */
  pool: pg.Pool;
  prisma: PrismaClient;
  /** Drops the database and stops the embedded server, each step tried even if one before failed. */
  drop(): Promise<void>;
};

export async function createBenchDatabase(
  prefix: string,
  poolSettings = { poolSize: 10, maxOverflow: 10 },
): Promise<BenchDatabase> {
  const embedded = process.env.DATABASE_URL
    ? null
    : await startEmbeddedPostgres('.riftwatch/bench-postgres', silentLogger());
  const server = embedded?.serverUrl ?? serverOf(process.env.DATABASE_URL as string);
  const name = `${prefix}_${Date.now().toString(36)}`;
  const url = `${server}/${name}`;
  let pool: pg.Pool | null = null;
  let prisma: PrismaClient | null = null;
  const drop = async () => {
    await settleAll([
      async () => {
        await prisma?.$disconnect();
        await pool?.end();
      },
      async () => {
        const admin = new pg.Client({ connectionString: `${server}/postgres` });
        admin.on('error', () => {}); // a dropped connection also rejects the pending query
        await admin.connect();
        try {
          await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
        } finally {
          await admin.end();
        }
      },
      async () => {
        await embedded?.stop();
      },
    ]);
  };
  try {
    await ensureDatabase(server, name);
    await migrate(url);
    pool = createPool(url, poolSettings);
    prisma = createPrisma(pool);
  } catch (error) {
    // Nothing is left behind when the setup fails: neither the database nor the embedded server.
    await drop().catch((cleanup: unknown) => console.error('bench database cleanup:', cleanup));
    throw error;
  }
  return { url, pool, prisma, drop };
}

/**
 * Runs every step in order, each even when one before failed; once all have run, rejects with the
 * failure (an AggregateError when more than one failed).
 */
export async function settleAll(steps: (() => Promise<unknown>)[]): Promise<void> {
  const errors: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'cleanup steps failed');
}

function serverOf(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = '';
  url.search = '';
  return url.toString().replace(/\/$/, '');
}
