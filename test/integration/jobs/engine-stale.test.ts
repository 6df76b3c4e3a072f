import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionStatusEvent } from '../../../src/events/pubsub.ts';
import { holdWorkerLock } from '../../../src/jobs/engine/liveness.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import {
  configId,
  type EngineHandle,
  execution,
  executionWithStatus,
  startEngine,
  waitFor,
} from './engine-harness.ts';

let db: TestDatabase;
let updater: number;
let handle: EngineHandle | null = null;

beforeAll(async () => {
  db = await createTestDatabase();
  updater = await configId(db, 'tracked_player_updater');
  await db.sql(`UPDATE job_configurations SET config_json = '{"sleep_ms": 60000}' WHERE id = $1`, [
    updater,
  ]);
});
afterAll(async () => {
  await handle?.engine.stop();
  await db.drop();
});

/** Starts the worker process; resolves with its pid and the id of its running execution. */
async function startSlowWorker(): Promise<{
  pid: number;
  executionId: number;
  exited: Promise<unknown>;
}> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/integration/jobs/fixtures/slow-worker.ts', db.url, String(updater)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = once(child, 'exit');
  const output: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => output.push(line));
  for await (const line of createInterface({ input: child.stdout })) {
    const match = /^RUNNING (\d+)$/.exec(line);
    if (match) return { pid: child.pid as number, executionId: Number(match[1]), exited };
  }
  throw new Error(`worker exited before running:\n${output.join('\n')}`);
}

describe('a worker killed with SIGKILL mid-run', () => {
  it('leaves a running row that the next worker fails as stale once its heartbeats are silent, and nothing else inconsistent', async () => {
    const worker = await startSlowWorker();
    const before = await execution(db, worker.executionId);
    expect(before?.worker_id).toContain(`:${worker.pid}:`);
    process.kill(worker.pid, 'SIGKILL');
    await worker.exited;
    expect((await execution(db, worker.executionId))?.status).toBe('running');

    handle = await startEngine(db, { timeoutSeconds: 3 });
    // Lock free and heartbeats silent for FAST.deadAfterMs: at the start-up sweep or the next.
    const row = await executionWithStatus(db, worker.executionId, 'failed', 5000, 'stale sweep');
    expect(row).toMatchObject({
      status: 'failed',
      error_message: expect.stringMatching(
        /^Stale: worker .* is gone \(its database session ended\)/,
      ),
    });
    expect(row?.completed_at).not.toBeNull();
    expect(
      handle.logs.lines.some(
        (l) =>
          l.msg === 'Stale job execution marked failed' && l.execution_id === worker.executionId,
      ),
    ).toBe(true);
    // The line operators grep for failed runs, as for any other.
    expect(
      handle.logs.lines.find(
        (l) => l.msg === 'Job failed' && l.execution_id === worker.executionId,
      ),
    ).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Stale: worker/) });

    // Nothing else left behind: no running or pending rows, the schedule still there,
    // and the configuration runs again at once.
    const open = await db.sql(
      `SELECT id FROM job_executions WHERE status IN ('pending', 'running')`,
    );
    expect(open.rowCount).toBe(0);
    expect((await handle.engine.nextRuns()).get(updater)).toBeInstanceOf(Date);
    await db.sql(`UPDATE job_configurations SET config_json = '{}' WHERE id = $1`, [updater]);
    const next = await handle.engine.enqueue(updater);
    await waitFor(
      async () => (await execution(db, next))?.status === 'success',
      5000,
      'run after recovery',
    );
    // The dead worker's Agenda job (locked until its lock lifetime) is retried, finds its row
    // no longer pending, and is removed: the store ends clean too.
    await waitFor(
      async () =>
        (await db.sql(`SELECT 1 FROM agenda.agenda_jobs WHERE name = 'job-execution'`)).rowCount ===
        0,
      15_000,
      'leftover Agenda job cleaned',
    );
    expect((await execution(db, worker.executionId))?.status).toBe('failed');
  });

  it('a live worker fails a row whose worker is alive but silent, after the lock lifetime, and publishes why', async () => {
    const silentWorker = 'other-host:4242:0badc0de';
    const statuses = (handle as EngineHandle).pubsub.subscribe('executionStatus');
    const published: ExecutionStatusEvent[] = [];
    void (async () => {
      for await (const event of statuses) published.push(event);
    })();
    // The worker's session still holds its liveness lock (cut off, not dead).
    const session = new pg.Client({ connectionString: db.url });
    await session.connect();
    try {
      await holdWorkerLock(session, silentWorker);
      const { rows } = await db.sql<{ id: number }>(
        `INSERT INTO job_executions (job_config_id, status, trigger, started_at, heartbeat_at, worker_id)
         VALUES ($1, 'running', 'schedule', now() - interval '1 hour', now() - interval '1 hour', $2)
         RETURNING id`,
        [updater, silentWorker],
      );
      const id = (rows[0] as { id: number }).id;
      const row = await executionWithStatus(db, id, 'failed', 5000, 'stale sweep');
      expect(row.error_message).toMatch(
        /^Stale: no heartbeat from worker other-host:4242:0badc0de for more than \d+ s/,
      );
      // What the dashboard shows: the row's own reason, as for any other failed run.
      const event = await waitFor(
        async () => published.find((e) => e.executionId === id),
        2000,
        'the status event',
      );
      expect(event).toMatchObject({ status: 'failed', errorMessage: row.error_message });
    } finally {
      await statuses.return();
      await session.end();
    }
  });
});

describe('start-up after a restart on a new host (a recreated container)', () => {
  it('fails a row whose worker is gone once its heartbeats are silent, and leaves a live worker alone', async () => {
    const fresh = await createTestDatabase();
    try {
      const [liveConfig, goneConfig] = await Promise.all([
        configId(fresh, 'tracked_player_updater'),
        configId(fresh, 'player_analyzer'),
      ]);
      await fresh.sql(`UPDATE job_configurations SET config_json = '{"sleep_ms": 60000}'`);
      const live = await startEngine(fresh);
      try {
        const liveRun = await live.engine.enqueue(liveConfig);
        await executionWithStatus(fresh, liveRun, 'running', 5000, 'the live run');
        // A row of a worker whose process is gone (another container), heartbeat a moment ago.
        const { rows } = await fresh.sql<{ id: number }>(
          `INSERT INTO job_executions (job_config_id, status, trigger, started_at, heartbeat_at, worker_id)
           VALUES ($1, 'running', 'schedule', now() - interval '1 minute', now(), 'old-container:1:0badc0de')
           RETURNING id`,
          [goneConfig],
        );
        const goneRun = (rows[0] as { id: number }).id;
        const restarted = await startEngine(fresh);
        try {
          // A heartbeat a moment ago: not yet (the lock may be free only for a reconnect).
          expect(await execution(fresh, goneRun)).toMatchObject({ status: 'running' });
          await executionWithStatus(fresh, goneRun, 'failed', 5000, "the gone worker's row");
          expect(await execution(fresh, liveRun)).toMatchObject({ status: 'running' });
        } finally {
          await restarted.engine.stop();
        }
      } finally {
        await live.engine.stop();
      }
    } finally {
      await fresh.drop();
    }
  });
});
