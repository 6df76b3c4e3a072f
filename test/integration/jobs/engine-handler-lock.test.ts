import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobStore, type JobStore } from '../../../src/jobs/engine/agenda-store.ts';
import {
  createEmptyDatabase,
  createTestDatabase,
  type TestDatabase,
} from '../../helpers/database.ts';
import {
  configId,
  type EngineHandle,
  executionWithStatus,
  overlapWatchedJob,
  sleepyRegistry,
  startEngine,
  waitFor,
} from './engine-harness.ts';

const { overlap, job: watchedJob } = overlapWatchedJob();
const registry = { ...sleepyRegistry, tracked_player_updater: watchedJob };

let db: TestDatabase;
let otherStore: { url: string; drop(): Promise<void> };
let store: JobStore;
let first: EngineHandle;
let second: EngineHandle;
let updater: number;

/** The runbook's emergency stop: every running row failed, whatever its handler is doing. */
const emergencyStop = () =>
  db.sql(`UPDATE job_executions SET status = 'failed', error_message = 'Emergency stop',
    completed_at = NOW() WHERE status = 'running'`);

beforeAll(async () => {
  db = await createTestDatabase();
  updater = await configId(db, 'tracked_player_updater');
  // A handler that takes 3 s whatever its signal says: it winds down long after its abort.
  await db.sql(`UPDATE job_configurations SET config_json = $2 WHERE id = $1`, [
    updater,
    JSON.stringify({ sleep_ms: 3000, ignore_signal: true, steps: 6 }),
  ]);
  // Agenda stores of their own: a run triggered on an engine is run by that engine.
  otherStore = await createEmptyDatabase();
  store = await createJobStore({ jobStoreUrl: otherStore.url, databaseUrl: db.url });
  const options = { registry, schedulerEnabled: false, timings: { abandonGraceMs: 10_000 } };
  first = await startEngine(db, options);
  second = await startEngine(db, { ...options, store });
});
afterAll(async () => {
  await Promise.all([first.engine.stop(), second.engine.stop()]);
  await store.close();
  await otherStore.drop();
  await db.drop();
});

describe('a run ended from outside while its handler winds down', () => {
  it('keeps its configuration from another process until the handler has settled', async () => {
    const ended = await first.engine.enqueue(updater);
    await executionWithStatus(db, ended, 'running', 10_000, 'the first run starts');
    await waitFor(async () => overlap.active === 1 || null, 5000, 'its handler runs');
    await emergencyStop();
    const next = await second.engine.enqueue(updater);
    await waitFor(
      async () =>
        first.logs.lines.some(
          (l) => l.msg === 'Job stopped: execution ended outside this worker',
        ) || null,
      15_000,
      'the first handler settles',
    );
    await executionWithStatus(db, next, 'success', 15_000, 'the second run ends');
    expect(overlap).toMatchObject({ maxActive: 1, runs: 2 });
  });
});
