import { MongoBackend } from '@agendajs/mongo-backend';
import { PostgresBackend } from '@agendajs/postgres-backend';
import type { AgendaBackend } from 'agenda';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { assertPostgresReachable } from '../../db/database.ts';
import { maskUrlPassword } from '../../mask-url.ts';
import { cannotConnect } from '../../startup-error.ts';

/** Agenda's schema when it shares riftwatch's PostgreSQL: out of `public`, which Prisma owns. */
const AGENDA_SCHEMA = 'agenda';

export type JobStore = {
  kind: 'postgres' | 'mongodb';
  /** For the start-up log line; never contains credentials. */
  description: string;
  backend: AgendaBackend;
  /**
   * Closes the store's connections. Safe to call more than once and after `agenda.stop()` (which
   * already closes them for a started Agenda); needed for an Agenda that never started.
   */
  close(): Promise<void>;
};

/**
 * Agenda's job store: JOB_STORE_URL when set (`mongodb://` → MongoDB, `postgres://` → PostgreSQL),
 * else riftwatch's own PostgreSQL in schema `agenda`.
 */
export async function createJobStore(options: {
  jobStoreUrl: string | undefined;
  databaseUrl: string;
  /** A lost connection (database restart, terminated backend); the store reconnects by itself. */
  onConnectionError?: (error: Error) => void;
}): Promise<JobStore> {
  const onConnectionError = options.onConnectionError ?? (() => {});
  const url = options.jobStoreUrl ?? options.databaseUrl;
  if (/^mongodb(\+srv)?:\/\//.test(url)) {
    await assertMongoReachable(url);
    const backend = new MongoBackend({ address: url });
    return {
      kind: 'mongodb',
      description: `mongodb ${maskUrlPassword(url)}`,
      backend,
      close: () => backend.disconnect(),
    };
  }
  // Riftwatch's own database was reached a moment ago; another one may not be there.
  if (options.jobStoreUrl) await assertPostgresReachable(url, 'JOB_STORE_URL');
  const poolConfig = { connectionString: url, options: `-c search_path=${AGENDA_SCHEMA}` };
  await prepareSchema(url, poolConfig);
  // Our own pool because the backend's has no 'error' listener: an idle connection dropped by the
  // server (restart, pg_terminate_backend) would otherwise be an uncaught exception.
  const pool = new pg.Pool({ ...poolConfig, max: 4 });
  pool.on('error', onConnectionError);
  // The schema is ready: Agenda must not re-run its DDL on every connect (see prepareSchema).
  const backend = new PostgresBackend({ pool, ensureSchema: false });
  // The LISTEN channel re-emits its connection's errors and reconnects; unheard, emit() throws.
  backend.notificationChannel?.on('error', onConnectionError);
  let closed: Promise<void> | null = null;
  return {
    kind: 'postgres',
    description: `postgres ${maskUrlPassword(url)} (schema ${AGENDA_SCHEMA})`,
    backend,
    close: () => {
      closed ??= backend.disconnect().then(() => pool.end());
      return closed;
    },
  };
}

/** Unless JOB_STORE_URL sets its own, how long start-up waits for an unreachable MongoDB. */
const MONGO_SERVER_SELECTION_MS = 5_000;

/**
 * Fails with one line naming JOB_STORE_URL when MongoDB cannot be reached: the backend connects
 * only inside Agenda, where a failure is an unhandled rejection after the driver's 30 s default.
 */
async function assertMongoReachable(url: string): Promise<void> {
  const timeoutInUrl = /[?&]serverSelectionTimeoutMS=/i.test(url);
  const defaultPort = url.startsWith('mongodb+srv://') ? undefined : 27017;
  let client: MongoClient | undefined;
  try {
    // Inside the try: the constructor rejects a malformed URL, which JOB_STORE_URL should name too.
    client = new MongoClient(
      url,
      timeoutInUrl ? {} : { serverSelectionTimeoutMS: MONGO_SERVER_SELECTION_MS },
    );
    await client.connect();
  } catch (error) {
    throw cannotConnect({ service: 'MongoDB', variable: 'JOB_STORE_URL', url, defaultPort }, error);
  } finally {
    await client?.close().catch(() => {});
  }
}

/** Key (hashed) of the advisory lock that serialises Agenda's DDL across processes. */
const SCHEMA_LOCK = 'riftwatch:agenda-schema';

/**
 * Creates schema `agenda` and Agenda's tables once, serialised across processes: two processes
 * starting together on a fresh database made the backend's own `CREATE TABLE IF NOT EXISTS` race
 * (duplicate key in pg_type) and left one Agenda never ready. The DDL stays the backend's own.
 */
async function prepareSchema(url: string, poolConfig: pg.PoolConfig): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [SCHEMA_LOCK]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(AGENDA_SCHEMA)}`);
    const ddl = new PostgresBackend({
      poolConfig: { ...poolConfig, max: 1 },
      disableNotifications: true,
    });
    await ddl.connect();
    await ddl.disconnect();
  } finally {
    await client.end(); // also releases the advisory lock
  }
}
