import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createPool, createPrisma, type PrismaClient } from '../../src/db/prisma.ts';

/** The server part of a PostgreSQL URL (no database name, no query). */
export function serverUrlOf(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = '';
  url.search = '';
  return url.toString().replace(/\/$/, '');
}

export type TestDatabase = {
  name: string;
  url: string;
  prisma: PrismaClient;
  /** The pool under `prisma` (what riftwatch's direct reads use). */
  pool: pg.Pool;
  /** Runs raw SQL, as psql would. */
  sql<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>>;
  drop(): Promise<void>;
};

/** A fresh database cloned from the run's migrated (and seeded) template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('pgServerUrl');
  const template = inject('pgTemplate');
  const name = `rw_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, (admin) =>
    admin.query(`CREATE DATABASE ${name} TEMPLATE ${pg.escapeIdentifier(template)}`),
  );
  const url = `${serverUrl}/${name}`;
  const prismaPool = createPool(url, { poolSize: 2, maxOverflow: 4 });
  const prisma = createPrisma(prismaPool);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // Tests that cut connections (pg_terminate_backend) must not see this pool's idle ones as
  // uncaught errors; the pool replaces them on the next query.
  pool.on('error', () => {});
  return {
    name,
    url,
    prisma,
    pool: prismaPool,
    sql: (text, params) => pool.query(text, params),
    drop: async () => {
      await prisma.$disconnect();
      await prismaPool.end();
      await pool.end();
      await withAdmin(serverUrl, (admin) =>
        admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
    },
  };
}

/**
 * Resolves once a session of `db` waits for a lock (a test's competing writer has got where it
 * collides); rejects after `timeoutMs`: the collision the test is about never happened.
 */
export async function untilALockWaits(db: TestDatabase, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if ((rows[0]?.n ?? 0) > 0) return;
    if (Date.now() > deadline) throw new Error('No session of the test database waits for a lock');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A fresh, empty database (nothing migrated), for tests of the migration runner itself. */
export async function createEmptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = inject('pgServerUrl');
  const name = `rw_empty_${randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  return {
    url: `${serverUrl}/${name}`,
    drop: () =>
      withAdmin(serverUrl, (a) => a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => {},
      ),
  };
}

async function withAdmin<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}
