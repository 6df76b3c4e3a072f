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
  await ensureDatabase(server, name);
  const url = `${server}/${name}`;
  await migrate(url);
  const pool = createPool(url, poolSettings);
  const prisma = createPrisma(pool);
  return {
    url,
    pool,
    prisma,
    async drop() {
      await prisma.$disconnect();
      await pool.end();
      const admin = new pg.Client({ connectionString: `${server}/postgres` });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
      await embedded?.stop();
    },
  };
}

function serverOf(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = '';
  url.search = '';
  return url.toString().replace(/\/$/, '');
}
