import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobOperations, type JobOperations } from '../../../src/jobs/admin/operations.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { configId, type EngineHandle, startEngine } from './engine-harness.ts';

let db: TestDatabase;
let handle: EngineHandle;
let ops: JobOperations;
let updater: number;

beforeAll(async () => {
  db = await createTestDatabase();
  updater = await configId(db, 'tracked_player_updater');
  await db.sql(`UPDATE job_configurations SET is_active = false`);
  // The sleepy test job's config schema accepts any key: merges of distinct keys are visible.
  handle = await startEngine(db);
  ops = createJobOperations({ prisma: db.prisma, engine: handle.engine });
});
afterAll(async () => {
  await handle.engine.stop();
  await db.drop();
});

async function storedConfig(): Promise<Record<string, unknown>> {
  const { rows } = await db.sql<{ config_json: Record<string, unknown> }>(
    'SELECT config_json FROM job_configurations WHERE id = $1',
    [updater],
  );
  return rows[0]?.config_json ?? {};
}

describe('configureJob', () => {
  it('concurrent merges and a runbook jsonb_set lose no key', async () => {
    for (let round = 0; round < 5; round++) {
      await db.sql(`UPDATE job_configurations SET config_json = '{}' WHERE id = $1`, [updater]);
      await Promise.all([
        ...Array.from({ length: 8 }, (_, i) =>
          ops.configureJob(updater, { config: { [`key_${i}`]: i } }),
        ),
        db.sql(
          `UPDATE job_configurations SET config_json = jsonb_set(config_json, '{sql_key}', '10')
           WHERE id = $1`,
          [updater],
        ),
      ]);
      const config = await storedConfig();
      expect(Object.keys(config).sort()).toEqual(
        [...Array.from({ length: 8 }, (_, i) => `key_${i}`), 'sql_key'].sort(),
      );
    }
  });

  it('a configuration deleted meanwhile is NOT_FOUND, not a database error', async () => {
    const { rows } = await db.sql<{ id: number }>(
      `INSERT INTO job_configurations (job_type, name) VALUES ('player_analyzer', 'doomed') RETURNING id`,
    );
    const doomed = (rows[0] as { id: number }).id;
    const results = await Promise.allSettled([
      db.sql('DELETE FROM job_configurations WHERE id = $1', [doomed]),
      ...Array.from({ length: 4 }, () => ops.configureJob(doomed, { config: { a: 1 } })),
    ]);
    for (const result of results.slice(1)) {
      if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'NOT_FOUND' });
    }
    await expect(ops.configureJob(doomed, { isActive: true })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('the configured job it answers', () => {
  /** Configures the updater and returns its job as answered, with when the call was made. */
  async function configure(input: Parameters<JobOperations['configureJob']>[1]) {
    const calledAt = Date.now();
    await ops.configureJob(updater, input);
    const job = await ops.getJob(updater);
    return { calledAt, answeredAt: Date.now(), nextRunAt: job?.nextRunAt ?? null };
  }

  const expectNextRunIn = (
    seconds: number,
    { calledAt, answeredAt, nextRunAt }: Awaited<ReturnType<typeof configure>>,
  ) => {
    expect(nextRunAt).toBeInstanceOf(Date);
    const at = (nextRunAt as Date).getTime();
    expect(at).toBeGreaterThanOrEqual(calledAt + seconds * 1000 - 1000);
    expect(at).toBeLessThanOrEqual(answeredAt + seconds * 1000 + 1000);
  };

  it('has the next run of its new state at once: none when inactive, else its new schedule', async () => {
    expectNextRunIn(300, await configure({ isActive: true, schedule: '300' }));
    expectNextRunIn(600, await configure({ schedule: '600' }));
    expect((await configure({ isActive: false })).nextRunAt).toBeNull();
    expectNextRunIn(600, await configure({ isActive: true }));
    await ops.configureJob(updater, { isActive: false });
  });
});
