import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobStore } from '../../../src/jobs/engine/agenda-store.ts';
import { defineJob, type JobRegistry } from '../../../src/jobs/engine/index.ts';
import { isWorkerGone } from '../../../src/jobs/engine/liveness.ts';
import {
  createEmptyDatabase,
  createTestDatabase,
  type TestDatabase,
} from '../../helpers/database.ts';
import {
  configId,
  executionWithStatus,
  sleepyJob,
  sleepyRegistry,
  startEngine,
} from './engine-harness.ts';

let db: TestDatabase;
let updater: number;

/** The sleepy test job, chaining the analyzer like the real updater. */
const chainingRegistry: JobRegistry = {
  ...sleepyRegistry,
  tracked_player_updater: defineJob({
    ...sleepyJob,
    onSuccess: (ctx) => ctx.enqueue('player_analyzer'),
  }),
};

beforeAll(async () => {
  db = await createTestDatabase();
  updater = await configId(db, 'tracked_player_updater');
  await db.sql(`UPDATE job_configurations SET is_active = (job_type = 'player_analyzer')`);
});
afterAll(async () => {
  await db.drop();
});

describe('stop()', () => {
  it('during an updater run: the run finishes, no analyzer run is queued or failed, nothing logged as an error', async () => {
    await db.sql('DELETE FROM job_executions');
    await db.sql(`UPDATE job_configurations SET config_json = '{"sleep_ms": 800}' WHERE id = $1`, [
      updater,
    ]);
    const handle = await startEngine(db, { registry: chainingRegistry });
    const id = await handle.engine.enqueue(updater);
    await executionWithStatus(db, id, 'running', 5000, 'the updater run');
    await handle.engine.stop();
    const { rows } = await db.sql<{ job_type: string; status: string }>(
      `SELECT jc.job_type, je.status FROM job_executions je
       JOIN job_configurations jc ON jc.id = je.job_config_id ORDER BY je.id`,
    );
    expect(rows).toEqual([{ job_type: 'tracked_player_updater', status: 'success' }]);
    expect(handle.logs.lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
  });

  it('while running, the follow-up is queued once the updater succeeds', async () => {
    await db.sql('DELETE FROM job_executions');
    await db.sql(`UPDATE job_configurations SET config_json = '{"sleep_ms": 0}'`);
    const handle = await startEngine(db, { registry: chainingRegistry });
    try {
      const id = await handle.engine.enqueue(updater);
      await executionWithStatus(db, id, 'success', 5000, 'the updater run');
      const analyzer = await configId(db, 'player_analyzer');
      const { rows } = await db.sql<{ id: number }>(
        `SELECT id FROM job_executions WHERE job_config_id = $1 AND trigger = 'schedule'`,
        [analyzer],
      );
      expect(rows).toHaveLength(1);
      await executionWithStatus(db, (rows[0] as { id: number }).id, 'success', 5000, 'analyzer');
    } finally {
      await handle.engine.stop();
    }
  });

  it('with its job store down still drains, cancels, releases its liveness lock and resolves', async () => {
    await db.sql('DELETE FROM job_executions');
    await db.sql(
      `UPDATE job_configurations SET config_json = '{"sleep_ms": 20000}' WHERE id = $1`,
      [updater],
    );
    const storeDb = await createEmptyDatabase();
    const store = await createJobStore({ jobStoreUrl: storeDb.url, databaseUrl: db.url });
    const handle = await startEngine(db, { store });
    const id = await handle.engine.enqueue(updater);
    await executionWithStatus(db, id, 'running', 5000, 'the long run');
    await storeDb.drop();
    await expect(handle.engine.stop()).resolves.toBeUndefined();
    expect(await executionWithStatus(db, id, 'cancelled', 1000, 'cancelled')).toMatchObject({
      error_message: expect.stringMatching(/shutting down/),
    });
    expect(await isWorkerGone(db.prisma, handle.engine.workerId)).toBe(true);
    await store.close().catch(() => {});
  });

  it('start() after stop() is refused', async () => {
    const handle = await startEngine(db);
    await handle.engine.stop();
    await expect(handle.engine.start()).rejects.toThrow(/cannot start: it is stopped/);
  });
});
