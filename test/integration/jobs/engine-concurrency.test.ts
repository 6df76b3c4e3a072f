import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import {
  configId,
  type EngineHandle,
  type ExecutionRow,
  executionWithStatus,
  insertOrphanPending,
  overlapWatchedJob,
  sleepyRegistry,
  startEngine,
  waitFor,
} from './engine-harness.ts';

const { overlap, job: watchedJob } = overlapWatchedJob();
const registry = { ...sleepyRegistry, tracked_player_updater: watchedJob };

let db: TestDatabase;
let engines: EngineHandle[];
let updater: number;

beforeAll(async () => {
  db = await createTestDatabase();
  updater = await configId(db, 'tracked_player_updater');
  await db.sql(
    `UPDATE job_configurations SET is_active = false WHERE job_type <> 'tracked_player_updater'`,
  );
  await db.sql(
    `UPDATE job_configurations SET schedule = 'interval:1', config_json = '{"sleep_ms": 500}' WHERE id = $1`,
    [updater],
  );
  engines = await Promise.all([startEngine(db, { registry }), startEngine(db, { registry })]);
});
afterAll(async () => {
  await Promise.all(engines.map((e) => e.engine.stop()));
  await db.drop();
});

describe('two engines on one database', () => {
  it('never run one configuration concurrently (schedule and manual triggers from both)', async () => {
    const triggered: number[] = [];
    for (let i = 0; i < 8; i++) {
      const handle = engines[i % 2] as EngineHandle;
      triggered.push(await handle.engine.enqueue(updater));
      await new Promise((r) => setTimeout(r, 250));
    }
    const finished = async () => {
      const { rows } = await db.sql<ExecutionRow>(
        'SELECT * FROM job_executions WHERE job_config_id = $1 ORDER BY started_at',
        [updater],
      );
      const manualDone = triggered.every((id) =>
        rows.some((r) => r.id === id && r.status === 'success'),
      );
      return manualDone && rows.some((r) => r.trigger === 'schedule' && r.status === 'success')
        ? rows
        : null;
    };
    await waitFor(finished, 20_000, 'manual and scheduled runs');
    await db.sql('UPDATE job_configurations SET is_active = false WHERE id = $1', [updater]);
    const rows = await waitFor(
      async () => {
        const all = await finished();
        return all?.every((r) => r.status === 'success') ? all : null;
      },
      5000,
      'no run left',
    );

    expect(overlap.runs).toBe(rows.length);
    expect(overlap.maxActive).toBe(1);
    // Every manual trigger ran exactly once; scheduled runs happened too.
    expect(
      rows
        .filter((r) => r.trigger === 'manual')
        .map((r) => r.id)
        .sort(),
    ).toEqual(triggered.sort());
    expect(rows.some((r) => r.trigger === 'schedule')).toBe(true);
    const workers = new Set(rows.map((r) => r.worker_id));
    expect([...workers].every((w) => engines.some((e) => e.engine.workerId === w))).toBe(true);
  });

  it('the database refuses a second running row for a configuration', async () => {
    await db.sql(
      `INSERT INTO job_executions (job_config_id, status, trigger, started_at) VALUES ($1, 'running', 'manual', now())`,
      [updater],
    );
    await expect(
      db.sql(
        `INSERT INTO job_executions (job_config_id, status, trigger, started_at) VALUES ($1, 'running', 'manual', now())`,
        [updater],
      ),
    ).rejects.toThrow(/job_executions_one_running_per_config/);
    await db.sql(`DELETE FROM job_executions WHERE job_config_id = $1 AND status = 'running'`, [
      updater,
    ]);
  });
});

describe('an engine that stops', () => {
  it('unlocks the runs it had locked ahead, so another engine takes them at once', async () => {
    const other = await createTestDatabase();
    try {
      const id = await configId(other, 'tracked_player_updater');
      await other.sql(`UPDATE job_configurations SET is_active = false WHERE id <> $1`, [id]);
      await other.sql(`UPDATE job_configurations SET schedule = 'interval:3' WHERE id = $1`, [id]);
      // Polling every 5 s, it locks the next run (due in ≤ 3 s) ahead of time.
      const early = await startEngine(other, { timings: { processEveryMs: 5000 } });
      await new Promise((r) => setTimeout(r, 500));
      await early.engine.stop();
      const late = await startEngine(other);
      try {
        // The lock lifetime here is 31.5 s (timeout 30 s + margin): far beyond this wait.
        await waitFor(
          async () =>
            (
              await other.sql(
                `SELECT 1 FROM job_executions WHERE job_config_id = $1 AND worker_id = $2`,
                [id, late.engine.workerId],
              )
            ).rowCount,
          10_000,
          'a scheduled run by the second engine',
        );
      } finally {
        await late.engine.stop();
      }
    } finally {
      await other.drop();
    }
  });
});

describe('a queued job locked by a worker that is gone', () => {
  it('does not hold its trigger, nor the later ones behind it, for the lock lifetime', async () => {
    const other = await createTestDatabase();
    const engine = await startEngine(other); // lock lifetime 31.5 s
    try {
      const id = await configId(other, 'tracked_player_updater');
      const stuck = await insertOrphanPending(other, id);
      // Locked a moment ago by a worker whose process has died (it holds no liveness lock).
      await other.sql(
        `INSERT INTO agenda.agenda_jobs (name, next_run_at, locked_at, last_modified_by, data)
         VALUES ('job-execution', now(), now(), 'dead-host:1:00000000', $1)`,
        [JSON.stringify({ executionId: stuck })],
      );
      const behind = await engine.engine.enqueue(id);
      await executionWithStatus(other, stuck, 'success', 10_000, 'the stuck trigger');
      await executionWithStatus(other, behind, 'success', 10_000, 'the trigger behind it');
    } finally {
      await engine.engine.stop();
      await other.drop();
    }
  });
});
