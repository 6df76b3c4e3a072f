import { MongoBackend } from '@agendajs/mongo-backend';
import { PostgresBackend } from '@agendajs/postgres-backend';
import type { AgendaBackend } from 'agenda';
import pg from 'pg';

/** Agenda's schema when it shares riftwatch's PostgreSQL: out of `public`, which Prisma owns. */
export const AGENDA_SCHEMA = 'agenda';

export type JobStore = {
  kind: 'postgres' | 'mongodb';
  /** For logs and the status overview; never contains credentials. */
  description: string;
  backend: AgendaBackend;
};

/**
 * Agenda's job store: JOB_STORE_URL when set (`mongodb://` → MongoDB, `postgres://` → PostgreSQL),
 * else riftwatch's own PostgreSQL in schema `agenda`.
 */
export async function createJobStore(options: {
  jobStoreUrl: string | undefined;
  databaseUrl: string;
}): Promise<JobStore> {
  const url = options.jobStoreUrl ?? options.databaseUrl;
  if (/^mongodb(\+srv)?:\/\//.test(url)) {
    return {
      kind: 'mongodb',
      description: `mongodb ${redact(url)}`,
      backend: new MongoBackend({ address: url }),
    };
  }
  await ensureSchema(url, AGENDA_SCHEMA);
  return {
    kind: 'postgres',
    description: `postgres ${redact(url)} (schema ${AGENDA_SCHEMA})`,
    backend: new PostgresBackend({
      poolConfig: { connectionString: url, max: 4, options: `-c search_path=${AGENDA_SCHEMA}` },
    }),
  };
}

async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
