import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.ts';
import type { ExecutionStatusEvent, JobProgressEvent } from '../../../src/events/pubsub.ts';
import { createJobOperations } from '../../../src/jobs/admin/operations.ts';
import { createJobEngine } from '../../../src/jobs/engine/engine.ts';
import { JobEngineNotRunningError } from '../../../src/jobs/engine/index.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import {
  configId,
  type EngineHandle,
  type ExecutionRow,
  execution,
  executionWithStatus,
  insertOrphanPending,
  sleepyRegistry,
  startEngine,
  waitFor,
} from './engine-harness.ts';

let db: TestDatabase;
let handle: EngineHandle;
let updaterId: number;

const setConfig = (config: object) =>
  db.sql('UPDATE job_configurations SET config_json = $1 WHERE id = $2', [
    JSON.stringify(config),
    updaterId,
  ]);

const waitForLog = (executionId: number, prefix: string, what: string) =>
  waitFor(
    async () =>
      handle.logs.lines.some(
        (l) => l.execution_id === executionId && String(l.msg).startsWith(prefix),
      ),
    3000,
    what,
  );

const operations = () =>
  createJobOperations({
    prisma: db.prisma,
    engine: handle.engine,
  });

beforeAll(async () => {
  db = await createTestDatabase();
  updaterId = await configId(db, 'tracked_player_updater');
  // No chained analyzer runs in these tests: they would interleave with the assertions.
  await db.sql(
    "UPDATE job_configurations SET is_active = false WHERE job_type = 'player_analyzer'",
  );
  handle = await startEngine(db, { timeoutSeconds: 2 });
});
afterAll(async () => {
  await handle.engine.stop();
  await db.drop();
});
afterEach(async () => {
  await waitFor(
    async () =>
      (await db.sql("SELECT 1 FROM job_executions WHERE status IN ('pending','running')"))
        .rowCount === 0,
    5000,
    'idle engine',
  );
});

/** Every event of `topic`; `seen`, those of the execution `executionId` names when read. */
function collect<T extends { executionId: number }>(
  topic: 'executionStatus' | 'jobProgress',
  executionId: () => number | null,
) {
  const all: T[] = [];
  const iterator = handle.pubsub.subscribe(topic)[Symbol.asyncIterator]();
  void (async () => {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      all.push(next.value as unknown as T);
    }
  })();
  return {
    all,
    // The trigger's first events may arrive before the id it returns.
    get seen() {
      return all.filter((e) => e.executionId === executionId());
    },
    stop: () => iterator.return?.(),
  };
}

describe('execution lifecycle', () => {
  it('manual trigger returns the id at once; the row goes pending → running → success', async () => {
    await setConfig({ sleep_ms: 1500 });
    let id: number | null = null;
    const statuses = collect<ExecutionStatusEvent>('executionStatus', () => id);
    const progress = collect<JobProgressEvent>('jobProgress', () => id);
    const ops = operations();
    id = await ops.triggerJob(updaterId);
    const first = await execution(db, id);
    expect(first?.trigger).toBe('manual');
    expect(['pending', 'running']).toContain(first?.status);
    // Counters and progress are written while it runs, not only at the end.
    const midRun = await waitFor(
      async () => {
        const row = await execution(db, id as number);
        return row?.status === 'running' && row.records_created > 0 && row.progress ? row : null;
      },
      5000,
      'progress while running',
    );
    expect(midRun.heartbeat_at).not.toBeNull();
    expect(midRun.worker_id).toBe(handle.engine.workerId);
    const done = await waitFor(
      async () => {
        const row = await execution(db, id as number);
        return row?.status === 'success' ? row : null;
      },
      5000,
      'success',
    );
    expect(done).toMatchObject({ records_created: 4, records_updated: 8, error_message: null });
    expect(done.progress).toMatchObject({ phase: 'steps', processed: 4, total: 4 });
    expect(done.completed_at).not.toBeNull();
    expect(statuses.seen.map((e) => e.status)).toEqual(['pending', 'running', 'success']);
    expect(progress.seen.length).toBe(4);
    const logs = handle.logs.lines.filter((l) => l.execution_id === id);
    expect(logs.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['Job starting', 'Job complete']),
    );
    const complete = logs.find((l) => l.msg === 'Job complete');
    expect(complete).toMatchObject({
      job_type: 'tracked_player_updater',
      records_created: 4,
      api_requests_made: 0,
    });
    expect(typeof complete?.duration_ms).toBe('number');
    await statuses.stop();
    await progress.stop();
  });

  it('fails a run at JOB_TIMEOUT_SECONDS through the abort signal', async () => {
    await setConfig({ sleep_ms: 10_000 });
    const id = await handle.engine.enqueue(updaterId);
    const row = await executionWithStatus(db, id, 'failed', 8000, 'timeout');
    expect(row.error_message).toMatch(/timed out after 2 s/);
    const failed = handle.logs.lines.find((l) => l.execution_id === id && l.msg === 'Job failed');
    expect(failed).toMatchObject({
      job_type: 'tracked_player_updater',
      error: expect.stringMatching(/timed out/),
    });
  });

  it('fails at the deadline even when the handler ignores its signal', async () => {
    await setConfig({ sleep_ms: 3000, ignore_signal: true });
    const id = await handle.engine.enqueue(updaterId);
    const row = await executionWithStatus(
      db,
      id,
      'failed',
      3500,
      'timeout of a handler ignoring its signal',
    );
    expect(row.error_message).toMatch(/timed out/);
    // Its late return must not overwrite the final status.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await execution(db, id))?.status).toBe('failed');
  });

  it('cancels a running execution, and a pending one', async () => {
    await setConfig({ sleep_ms: 10_000 });
    const ops = operations();
    const statuses = collect<ExecutionStatusEvent>('executionStatus', () => null);
    const ended = (execId: number) =>
      statuses.all.filter((e) => e.executionId === execId).map((e) => e.status);
    const id = await ops.triggerJob(updaterId);
    await waitFor(async () => (await execution(db, id))?.status === 'running', 5000, 'running');
    // A second trigger queues behind it (pending while the first runs).
    const queued = await ops.triggerJob(updaterId);
    await new Promise((r) => setTimeout(r, 400));
    expect((await execution(db, queued))?.status).toBe('pending');
    await expect(ops.cancelExecution(queued)).resolves.toEqual({
      id: queued,
      previousStatus: 'pending',
    });
    await expect(ops.cancelExecution(id)).resolves.toEqual({ id, previousStatus: 'running' });
    await waitForLog(id, 'Job stopped', 'handler aborted');
    expect(await execution(db, id)).toMatchObject({
      status: 'cancelled',
      error_message: 'Cancelled by operator',
    });
    expect(await execution(db, queued)).toMatchObject({ status: 'cancelled', started_at: null });
    // Both ends are published; the worker logs the run's end with its counters.
    await waitFor(async () => ended(id).includes('cancelled'), 3000, 'cancelled event');
    expect(ended(queued)).toEqual(['pending', 'cancelled']);
    expect(ended(id)).toEqual(['pending', 'running', 'cancelled']);
    await waitForLog(id, 'Job failed', 'end of run logged');
    statuses.stop();
    await expect(ops.cancelExecution(id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(ops.cancelExecution(999_999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('runs queued triggers one after another, oldest first', async () => {
    await setConfig({ sleep_ms: 600 });
    const first = await handle.engine.enqueue(updaterId);
    const second = await handle.engine.enqueue(updaterId);
    const third = await handle.engine.enqueue(updaterId);
    await waitFor(
      async () => (await execution(db, third))?.status === 'success',
      10_000,
      'third run',
    );
    const c = await execution(db, third);
    const a = await execution(db, first);
    const b = await execution(db, second);
    expect(a?.status).toBe('success');
    // Queued while the first ran, started after it. That the two never overlapped is the partial
    // unique index's guarantee, shown by engine-concurrency.test.ts (row timestamps cannot show it:
    // a claim's now() is read when its statement starts, before it waits on that index).
    expect(Number(b?.created_at)).toBeLessThan(Number(a?.completed_at));
    // Triggers of one configuration run in the order they were made.
    expect(Number(b?.started_at)).toBeGreaterThan(Number(a?.started_at));
    expect(Number(c?.started_at)).toBeGreaterThan(Number(b?.started_at));
    expect(b?.status).toBe('success');
  });

  it('records a handler error as failed with its message', async () => {
    await setConfig({ sleep_ms: 0, fail_with: 'boom from handler' });
    const id = await handle.engine.enqueue(updaterId);
    const row = await executionWithStatus(db, id, 'failed', 5000, 'failure');
    expect(row).toMatchObject({ error_message: 'boom from handler', records_created: 4 });
  });

  it('emergency stop fails a running execution; the worker does not overwrite it', async () => {
    await setConfig({ sleep_ms: 10_000 });
    const ops = operations();
    const id = await ops.triggerJob(updaterId);
    await waitFor(async () => (await execution(db, id))?.status === 'running', 5000, 'running');
    expect(await ops.failRunningExecutions()).toEqual({ failed: 1, cancelled: 0 });
    await waitForLog(id, 'Job stopped', 'handler aborted');
    expect(await execution(db, id)).toMatchObject({
      status: 'failed',
      error_message: 'Emergency stop',
    });
  });

  it("the runbook's emergency SQL ends a run whose handler still winds down: the next trigger waits for the handler", async () => {
    // It finishes its current step (about 600 ms) before it can stop.
    await setConfig({ sleep_ms: 1200, ignore_signal: true, steps: 2 });
    const ends: number[] = [];
    const starts = new Map<number, number>();
    const progress = handle.pubsub.subscribe('jobProgress');
    const status = handle.pubsub.subscribe('executionStatus');
    void (async () => {
      for await (const e of progress) if (e.processed === 2) ends.push(performance.now());
    })();
    void (async () => {
      for await (const e of status)
        if (e.status === 'running') starts.set(e.executionId, performance.now());
    })();
    try {
      const first = await handle.engine.enqueue(updaterId);
      await waitFor(
        async () => (await execution(db, first))?.status === 'running',
        5000,
        'running',
      );
      const second = await handle.engine.enqueue(updaterId);
      await db.sql(`UPDATE job_executions
        SET status = 'failed', error_message = 'Emergency stop', completed_at = NOW()
        WHERE status = 'running';`);
      await executionWithStatus(db, second, 'success', 10_000, 'the second run');
      // The first handler's last step came before the second run began.
      expect(ends.length).toBeGreaterThanOrEqual(1);
      expect(starts.get(second)).toBeGreaterThan(ends[0] as number);
    } finally {
      await progress.return();
      await status.return();
    }
  });

  it('runs a pending row that has no queued job (a process died between insert and enqueue)', async () => {
    await setConfig({ sleep_ms: 0 });
    const id = await insertOrphanPending(db, updaterId);
    await executionWithStatus(db, id, 'success', 5000, 'the orphan sweep');
  });

  it('runs a pending row whose queued job is spent (ran, but Agenda failed to remove it)', async () => {
    await setConfig({ sleep_ms: 0 });
    const id = await insertOrphanPending(db, updaterId);
    await db.sql(
      `INSERT INTO agenda.agenda_jobs (name, next_run_at, locked_at, last_finished_at, data)
       VALUES ('job-execution', NULL, NULL, now(), $1)`,
      [JSON.stringify({ executionId: id })],
    );
    // A later trigger of the same configuration waits behind it: both must still run.
    const next = await handle.engine.enqueue(updaterId);
    await executionWithStatus(db, id, 'success', 5000, 'the orphan sweep');
    await executionWithStatus(db, next, 'success', 5000, 'the trigger behind it');
  });

  it('fails the row of a trigger that could not be queued, so it never runs behind the caller', async () => {
    // The job store cannot take the job (its table gone for a moment).
    await db.sql('ALTER TABLE agenda.agenda_jobs RENAME TO agenda_jobs_away');
    try {
      await expect(handle.engine.enqueue(updaterId)).rejects.toThrow();
    } finally {
      await db.sql('ALTER TABLE agenda.agenda_jobs_away RENAME TO agenda_jobs');
    }
    const { rows } = await db.sql<ExecutionRow>(
      'SELECT * FROM job_executions ORDER BY id DESC LIMIT 1',
    );
    expect(rows[0]?.status).toBe('failed');
    expect(rows[0]?.error_message).toMatch(/^Could not be queued: /);
  });

  it('refuses a trigger once the engine stopped (or before it started), writing nothing', async () => {
    const engine = createJobEngine({
      prisma: db.prisma,
      databaseUrl: db.url,
      logger: handle.logs.logger,
      pubsub: handle.pubsub,
      jobs: { schedulerEnabled: true, intervalSeconds: 120, timeoutSeconds: 2 },
      registry: sleepyRegistry,
    });
    const count = async () =>
      (await db.sql<{ n: number }>('SELECT count(*)::int AS n FROM job_executions')).rows[0]?.n;
    const before = await count();
    await expect(engine.enqueue(updaterId)).rejects.toThrow(JobEngineNotRunningError);
    const stopping = await startEngine(db);
    await stopping.engine.stop();
    const ops = createJobOperations({ prisma: db.prisma, engine: stopping.engine });
    const refusal = await ops.triggerJob(updaterId).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: 'UNAVAILABLE', message: /riftwatch is stopping/ });
    expect(await count()).toBe(before);
  });

  it('a second stop() waits for the first one to finish draining', async () => {
    const other = await startEngine(db);
    const first = other.engine.stop();
    await other.engine.stop();
    expect(other.logs.lines.some((l) => l.msg === 'Job engine stopped')).toBe(true);
    await first;
  });

  it('the runbook reset (TRUNCATE) under a running execution stops it cleanly', async () => {
    await setConfig({ sleep_ms: 10_000 });
    const id = await handle.engine.enqueue(updaterId);
    await waitFor(async () => (await execution(db, id))?.status === 'running', 5000, 'running');
    await db.sql('TRUNCATE TABLE job_executions CASCADE');
    // Raw SQL from psql: this worker notices at its next heartbeat.
    await waitForLog(id, 'Job stopped', 'heartbeat noticed');
    expect((await db.sql('SELECT count(*)::int AS n FROM job_executions')).rows[0]?.n).toBe(0);
    // The configuration can run again at once.
    await setConfig({ sleep_ms: 0 });
    const next = await handle.engine.enqueue(updaterId);
    await waitFor(async () => (await execution(db, next))?.status === 'success', 5000, 'next run');
  });
});
