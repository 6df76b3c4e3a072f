import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld } from '../../../src/riot/simulator/world.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { isAlive, postmastersOf, startRiftwatch, stopRiftwatch } from '../../helpers/process.ts';
import { waitFor } from '../../helpers/wait.ts';
import { collect, wsClient } from '../graphql/live-clients.ts';

const TOKEN = 'shutdown-test-token';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('shutdown on signals', () => {
  let db: TestDatabase;
  // A Riot API that takes requests and never answers: a run stays running until it is stopped.
  let silentRiot: Server;
  let riotPort = 0;
  beforeAll(async () => {
    db = await createTestDatabase();
    silentRiot = createServer(() => {});
    await new Promise<void>((resolve) => silentRiot.listen(0, '127.0.0.1', resolve));
    riotPort = (silentRiot.address() as { port: number }).port;
  });
  afterAll(async () => {
    silentRiot.closeAllConnections();
    silentRiot.close();
    await db.drop();
  });

  /** riftwatch on the test database, its Riot API the silent one; `command` to run it otherwise. */
  const startOnSilentRiot = (command?: string[]) =>
    startRiftwatch(
      {
        DATABASE_URL: db.url,
        PORT: '0',
        LOG_LEVEL: 'info',
        ADMIN_TOKEN: TOKEN,
        JOB_SCHEDULER_ENABLED: 'false',
        RIOT_API_KEY: 'RGAPI-00000000-0000-4000-8000-000000000001',
        RIOT_API_BASE_URL: `http://127.0.0.1:${riotPort}/{routing}`,
      },
      45_000,
      command ? { command } : {},
    );

  /** Triggers the updater and waits until it runs (held by the silent Riot API). */
  async function runningUpdate(
    port: number,
  ): Promise<{ executionId: number; status: () => Promise<string | undefined> }> {
    const triggered = await fetch(
      `http://127.0.0.1:${port}/api/v1/jobs/tracked_player_updater/trigger`,
      { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } },
    );
    const { executionId } = (await triggered.json()) as { executionId: number };
    const status = async () =>
      (
        await db.sql<{ status: string }>('SELECT status FROM job_executions WHERE id = $1', [
          executionId,
        ])
      ).rows[0]?.status;
    await waitFor(async () => ((await status()) === 'running' ? true : null), 10_000, 'the run');
    return { executionId, status };
  }

  const trackPlayer = (index: number) => {
    const player = createWorld().trackable(index + 1, 'euw1')[index];
    return db.sql(
      `INSERT INTO players (puuid, platform, is_tracked) VALUES ($1, 'euw1', true)
       ON CONFLICT (puuid) DO UPDATE SET is_tracked = true`,
      [player?.puuid],
    );
  };

  it('a second signal (Ctrl-C, then docker stop) waits for the first shutdown: the run is ended, not left running', async () => {
    await trackPlayer(0);
    const app = await startOnSilentRiot();
    try {
      const { status } = await runningUpdate(app.port);
      process.kill(app.child.pid as number, 'SIGINT');
      await sleep(300);
      expect(await stopRiftwatch(app.child, 'SIGTERM')).toBe(0);
      expect(app.lines.some((l) => l.includes('"msg":"Already shutting down'))).toBe(true);
      expect(['cancelled', 'failed']).toContain(await status());
    } finally {
      if (app.child.exitCode === null) app.child.kill('SIGKILL');
    }
  }, 60_000);

  it('a signal during start-up stops the embedded PostgreSQL it has started', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'rw-signal-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, DATABASE_URL: undefined, DATA_DIR: dataDir, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let postgres: number[] = [];
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      // Interrupted while it migrates: PostgreSQL runs, riftwatch has not finished starting.
      if (line.includes('"msg":"Embedded PostgreSQL started"')) {
        postgres = postmastersOf(child.pid as number).map((p) => p.pid);
        child.kill('SIGINT');
      }
    });
    try {
      expect(await exited).toBe(0);
      expect(postgres).toHaveLength(1);
      expect(lines.some((l) => l.includes('"msg":"Embedded PostgreSQL stopped"'))).toBe(true);
      expect(lines.some((l) => l.includes('riftwatch listening'))).toBe(false);
      await waitFor(async () => postgres.every((pid) => !isAlive(pid)), 10_000, 'no PostgreSQL');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      for (const pid of postgres) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
      const moved = join(dataDir, 'postgres').split('/').filter(Boolean).join('_');
      await rm(join('/var/lib/riftwatch', moved), { recursive: true, force: true });
    }
  }, 90_000);

  it('a riftwatch killed outright leaves its PostgreSQL to the next one, which stops it; a reused pid in a stale lock file is no server', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'rw-killed-'));
    const env = { DATABASE_URL: undefined, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' };
    // Whatever this test starts is killed at its end, passed or failed.
    const children: ChildProcess[] = [];
    const start = async () => {
      const app = await startRiftwatch(env);
      children.push(app.child);
      return app;
    };
    try {
      const first = await start();
      const [postgres] = postmastersOf(first.child.pid as number);
      first.child.kill('SIGKILL');
      await new Promise((resolve) => first.child.once('exit', resolve));
      expect(isAlive(postgres?.pid as number)).toBe(true);

      const second = await start();
      expect(second.lines.some((l) => l.includes('taken over'))).toBe(true);
      expect(await stopRiftwatch(second.child)).toBe(0);
      await waitFor(async () => !isAlive(postgres?.pid as number), 10_000, 'PostgreSQL stopped');

      // After a restart, postmaster.pid may name a pid some other program now has: here one
      // that looks like another data folder's PostgreSQL.
      const other = spawn(
        process.execPath,
        ['-e', 'setTimeout(() => {}, 120000)', '--', '-D', '/elsewhere/postgres'],
        { argv0: 'postgres', stdio: 'ignore' },
      );
      children.push(other);
      const databaseDir =
        second.lines
          .map((l) => JSON.parse(l) as { msg?: string; databaseDir?: string })
          .find((l) => l.msg === 'Embedded PostgreSQL started' || l.databaseDir)?.databaseDir ?? '';
      await writeFile(
        join(databaseDir, 'postmaster.pid'),
        `${other.pid}\n${databaseDir}\n0\n5999\n`,
      );
      const third = await start();
      expect(third.lines.some((l) => l.includes('Stale postmaster.pid'))).toBe(true);
      const health = await fetch(`http://127.0.0.1:${third.port}/health`);
      expect(await health.json()).toMatchObject({ database: 'up' });
      expect(await stopRiftwatch(third.child)).toBe(0);
      expect(other.exitCode).toBeNull();
    } finally {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
      const moved = join(dataDir, 'postgres').split('/').filter(Boolean).join('_');
      await rm(join('/var/lib/riftwatch', moved), { recursive: true, force: true });
    }
  }, 120_000);

  it('a subscriber sees how a run drained at shutdown ended: HTTP closes after the job engine stops', async () => {
    await trackPlayer(0);
    const app = await startOnSilentRiot();
    try {
      const { executionId } = await runningUpdate(app.port);
      const base = `http://127.0.0.1:${app.port}`;
      const statuses: string[] = [];
      const client = wsClient(`${base}/graphql`, { token: TOKEN });
      const followed = collect(
        client,
        'subscription ($id: ID!) { executionStatusChanged(executionId: $id) { status } }',
        { id: String(executionId) },
        (payload) => statuses.push(payload.data?.executionStatusChanged?.status),
      );
      await waitFor(async () => statuses.includes('running'), 10_000, 'the subscription');
      const stopped = stopRiftwatch(app.child, 'SIGTERM');
      // While the run drains, new requests are refused; the subscriber stays.
      await waitFor(
        async () => {
          const health = await fetch(`${base}/health`).catch(() => null);
          return health === null || health.status === 503;
        },
        5_000,
        'requests refused',
      );
      // Nor does the open socket take a new request: a trigger would reach the draining engine.
      const trigger = await collect(
        client,
        'mutation { triggerJob(input: { jobId: "tracked_player_updater" }) { __typename } }',
      ).catch((errors: unknown) => errors);
      expect(trigger).toEqual([expect.objectContaining({ extensions: { code: 'UNAVAILABLE' } })]);
      await followed;
      expect(['cancelled', 'failed']).toContain(statuses.at(-1));
      expect(await stopped).toBe(0);
      const rows = await db.sql('SELECT id FROM job_executions WHERE id > $1', [executionId]);
      expect(rows.rows).toEqual([]);
    } finally {
      if (app.child.exitCode === null) app.child.kill('SIGKILL');
    }
  }, 60_000);

  it('a crash during the shutdown waits for the same stop: the run still ends, and the exit code says so', async () => {
    await trackPlayer(1);
    const dir = await mkdtemp(join(tmpdir(), 'rw-crash-'));
    // Rejects, unhandled, 300 ms into the shutdown.
    const preload = join(dir, 'crash-on-sigterm.mjs');
    await writeFile(
      preload,
      "process.on('SIGTERM', () => setTimeout(() => Promise.reject(new Error('late crash')), 300));\n",
    );
    const app = await startOnSilentRiot([
      process.execPath,
      '--import',
      'tsx',
      '--import',
      preload,
      'src/main.ts',
    ]);
    try {
      const { status } = await runningUpdate(app.port);
      expect(await stopRiftwatch(app.child, 'SIGTERM')).toBe(1);
      expect(app.lines.some((l) => l.includes('Unexpected rejection: stopping'))).toBe(true);
      expect(['cancelled', 'failed']).toContain(await status());
    } finally {
      if (app.child.exitCode === null) app.child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('signals while start-up waits on a lock held elsewhere: the second one stops it', async () => {
    const lock = new pg.Client({ connectionString: db.url });
    await lock.connect();
    // The migration lock, held by "another deployment".
    await lock.query('SELECT pg_advisory_lock(72707369)');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, DATABASE_URL: db.url, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      // Until riftwatch waits for the lock (its handlers are on by then, however slow the machine).
      await waitFor(
        async () => {
          const { rows } = await lock.query(
            `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 72707369 AND NOT granted`,
          );
          return rows.length > 0 ? true : null;
        },
        30_000,
        'riftwatch waiting for the migration lock',
      );
      child.kill('SIGINT');
      await sleep(300);
      child.kill('SIGTERM');
      const code = await Promise.race([exited, sleep(10_000).then(() => 'still running')]);
      expect(code).toBe(1);
      expect(lines.some((l) => l.includes('Start-up still under way'))).toBe(true);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await lock.end();
    }
  }, 60_000);
});
