import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { startRiftwatch, stopRiftwatch } from '../../helpers/process.ts';

// `npm start` as a user runs it: a real process, real PostgreSQL, real HTTP.
describe('npm start', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('runs on an embedded PostgreSQL when nothing is configured, and reuses it on the next run', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'rw-data-'));
    const env = { DATABASE_URL: undefined, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' };
    for (const run of [1, 2]) {
      const app = await startRiftwatch(env);
      const health = await fetch(`http://127.0.0.1:${app.port}/health`);
      expect(await health.json()).toMatchObject({ status: 'ok', database: 'up' });
      const migrated = app.lines.find((l) => l.includes('"Database migrated"')) ?? '';
      expect(JSON.parse(migrated)).toMatchObject(
        run === 1 ? { applied: 1 } : { applied: 0, alreadyApplied: 1 },
      );
      expect(app.lines.some((l) => l.includes('"database":"embedded"'))).toBe(true);
      expect(await stopRiftwatch(app.child)).toBe(0);
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs on DATABASE_URL when set', async () => {
    const app = await startRiftwatch({ DATABASE_URL: db.url, PORT: '0' });
    const health = await fetch(`http://127.0.0.1:${app.port}/health`);
    expect(health.status).toBe(200);
    expect(app.lines.some((l) => l.includes('"database":"DATABASE_URL"'))).toBe(true);
    expect(await stopRiftwatch(app.child)).toBe(0);
  });

  it('refuses to start on a bad variable, naming it', async () => {
    await expect(
      startRiftwatch({ DATABASE_URL: db.url, JOB_TIMEOUT_SECONDS: 'abc' }),
    ).rejects.toThrow(/JOB_TIMEOUT_SECONDS="abc": expected a whole number/);
  });
});
