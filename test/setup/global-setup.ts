import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { ensureDatabase } from '../../src/db/database.ts';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';
import { silentLogger } from '../../src/logger.ts';
import { serverUrlOf } from '../helpers/database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
    pgTemplate: string;
  }
}

/**
 * One migrated template database per test run, on DATABASE_URL's server when set (CI uses the
 * machine's PostgreSQL) or else on an embedded one; each test file clones its own database from it.
 */
export default async function setup(project: TestProject) {
  const embedded = process.env.DATABASE_URL
    ? null
    : await startEmbeddedPostgres('.riftwatch/test-postgres', silentLogger());
  const serverUrl = embedded?.serverUrl ?? serverUrlOf(process.env.DATABASE_URL as string);
  const template = `rw_template_${process.pid}_${Date.now().toString(36)}`;
  await ensureDatabase(serverUrl, template);
  await migrate(`${serverUrl}/${template}`);
  project.provide('pgServerUrl', serverUrl);
  project.provide('pgTemplate', template);

  return async () => {
    const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(template)} WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
  };
}
