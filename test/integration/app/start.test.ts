import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../../src/db/migrate.ts';
import { createWorld } from '../../../src/riot/simulator/world.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { startRiftwatch, stopRiftwatch } from '../../helpers/process.ts';
import { waitFor } from '../../helpers/wait.ts';

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
    const migrations = (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((e) =>
      e.isDirectory(),
    ).length;
    for (const run of [1, 2]) {
      const app = await startRiftwatch(env);
      const health = await fetch(`http://127.0.0.1:${app.port}/health`);
      expect(await health.json()).toMatchObject({ status: 'ok', database: 'up' });
      const migrated = app.lines.find((l) => l.includes('"Database migrated"')) ?? '';
      expect(JSON.parse(migrated)).toMatchObject(
        run === 1 ? { applied: migrations } : { applied: 0, alreadyApplied: migrations },
      );
      expect(app.lines.some((l) => l.includes('"database":"embedded"'))).toBe(true);
      expect(await stopRiftwatch(app.child)).toBe(0);
    }
    await rm(dataDir, { recursive: true, force: true });
    // As root, the data went where the postgres user can reach it (mkdtemp makes 0700 folders).
    const moved = join(dataDir, 'postgres').split('/').filter(Boolean).join('_');
    await rm(join('/var/lib/riftwatch', moved), { recursive: true, force: true });
  });

  it('runs on DATABASE_URL when set, its job engine updating a tracked player from the built-in simulator', async () => {
    // The same seed as the simulator main.ts starts, so this player exists there.
    const [player] = createWorld().trackable(1, 'euw1');
    if (!player) throw new Error('the default simulator world has no euw1 player');
    await db.sql(`INSERT INTO players (puuid, platform, is_tracked) VALUES ($1, 'euw1', true)`, [
      player.puuid,
    ]);
    await db.sql(
      `UPDATE job_configurations SET schedule = 'interval:1' WHERE job_type = 'tracked_player_updater'`,
    );

    const envDir = await mkdtemp(join(tmpdir(), 'rw-env-'));
    const envFile = join(envDir, 'riftwatch.env');
    await writeFile(envFile, 'MAX_TRACKED_PLAYERS=10\n');
    const app = await startRiftwatch({
      DATABASE_URL: db.url,
      PORT: '0',
      LOG_LEVEL: 'info',
      ENV_FILE: envFile,
    });
    await rm(envDir, { recursive: true, force: true });
    // Which file the configuration came from, besides the environment.
    const envRead = app.lines.find((l) => l.includes('"Env file read"')) ?? '{}';
    expect(JSON.parse(envRead)).toMatchObject({ file: envFile });
    const health = await fetch(`http://127.0.0.1:${app.port}/health`);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      jobs: { scheduler: 'enabled' },
      events: 'memory',
    });
    expect(app.lines.some((l) => l.includes('"database":"DATABASE_URL"'))).toBe(true);
    expect(app.lines.some((l) => l.includes('"Job engine started"'))).toBe(true);

    const updated = await waitFor(async () => {
      const { rows } = await db.sql('SELECT riot_id FROM players WHERE puuid = $1', [player.puuid]);
      return rows[0]?.riot_id;
    }, 20_000);
    expect(updated).toBe(`${player.gameName}#${player.tagLine}`);
    const complete = await waitFor(async () => app.lines.find((l) => l.includes('"Job complete"')));
    const { rows: games } = await db.sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM match_participants WHERE puuid = $1',
      [player.puuid],
    );
    const stored = games[0]?.n ?? 0;
    expect(stored).toBeGreaterThan(0);
    const line = JSON.parse(complete);
    expect(line).toMatchObject({ job_type: 'tracked_player_updater' });
    // The listing, at least one game, the rank. (Later runs, and the analyzer's history fetch,
    // store more games meanwhile: `stored` is not this run's alone.)
    expect(line.api_requests_made).toBeGreaterThanOrEqual(3);
    expect(line.records_created).toBeGreaterThan(1);

    expect(await stopRiftwatch(app.child)).toBe(0);
    expect(app.lines.some((l) => l.includes('"Job engine stopped"'))).toBe(true);
    const { rows } = await db.sql(
      `SELECT count(*)::int AS n FROM job_executions WHERE status = 'running'`,
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('refuses to start on a bad variable, naming it', async () => {
    await expect(
      startRiftwatch({ DATABASE_URL: db.url, JOB_TIMEOUT_SECONDS: 'abc' }),
    ).rejects.toThrow(/JOB_TIMEOUT_SECONDS="abc": expected a whole number/);
  });
});
