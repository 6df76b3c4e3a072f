import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKER_LOCK_CLASS } from '../../../src/jobs/engine/liveness.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { configId, type EngineHandle, executionWithStatus, startEngine } from './engine-harness.ts';

let db: TestDatabase;
let updater: number;
const engines: EngineHandle[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  updater = await configId(db, 'tracked_player_updater');
  await db.sql(`UPDATE job_configurations SET is_active = false`);
  await db.sql(`UPDATE job_configurations SET config_json = '{"sleep_ms": 2500}' WHERE id = $1`, [
    updater,
  ]);
});
afterAll(async () => {
  for (const handle of engines) await handle.engine.stop();
  await db.drop();
});

/** The backend pid of the session holding a worker's liveness lock. */
async function lockHolder(workerId: string): Promise<number> {
  const { rows } = await db.sql<{ pid: number }>(
    `SELECT pid FROM pg_locks
     WHERE locktype = 'advisory' AND granted AND classid = $1::int
       AND objid = hashtext($2)::oid`,
    [WORKER_LOCK_CLASS, workerId],
  );
  if (!rows[0]) throw new Error(`no session holds the lock of ${workerId}`);
  return rows[0].pid;
}

describe('liveness', () => {
  it('a live worker whose listener connection drops mid-run is not taken for dead', async () => {
    const [running, sweeping] = [await startEngine(db), await startEngine(db)];
    engines.push(running, sweeping);
    const id = await running.engine.enqueue(updater);
    await executionWithStatus(db, id, 'running', 5000, 'the run');
    // Only the listener's session ends (a failover, idle_session_timeout, a NAT reset): the
    // worker and its runs go on, and its heartbeats keep coming through the pool.
    await db.sql('SELECT pg_terminate_backend($1)', [await lockHolder(running.engine.workerId)]);
    expect(await sweeping.engine.sweepStale()).toEqual([]);
    const done = await executionWithStatus(db, id, 'success', 10_000, 'the run to end');
    expect(done.error_message).toBeNull();
    const { rows } = await db.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM job_executions WHERE status <> 'success'`,
    );
    expect(rows[0]?.n).toBe(0);
    // The worker took its lock back on a new session.
    await expect(lockHolder(running.engine.workerId)).resolves.toBeGreaterThan(0);
  });
});
