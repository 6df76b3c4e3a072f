import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob } from '../../../src/jobs/engine/index.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import {
  configId,
  type EngineHandle,
  executionWithStatus,
  sleep,
  sleepyRegistry,
  startEngine,
} from './engine-harness.ts';

let db: TestDatabase;
let handle: EngineHandle;
let updater: number;
/** Handler start and end times (ms) per run, in this process. */
const spans: { start: number; end: number | null }[] = [];

/** Ignores its signal: keeps working `work_ms` past any abort, like a handler stuck in I/O. */
const stubbornJob = defineJob({
  description: 'test job ignoring its signal',
  configSchema: z.looseObject({ work_ms: z.number().default(0) }),
  async handler(config) {
    const span = { start: Date.now(), end: null as number | null };
    spans.push(span);
    await sleep(config.work_ms);
    span.end = Date.now();
  },
});

beforeAll(async () => {
  db = await createTestDatabase();
  updater = await configId(db, 'tracked_player_updater');
  await db.sql(`UPDATE job_configurations SET is_active = false`);
  handle = await startEngine(db, {
    registry: { ...sleepyRegistry, tracked_player_updater: stubbornJob },
    timeoutSeconds: 1,
    timings: { abandonGraceMs: 3000 },
  });
});
afterAll(async () => {
  await handle.engine.stop();
  await db.drop();
});

describe('a run that outlives its timeout', () => {
  it('keeps its configuration busy until the aborted handler settles, so runs never overlap', async () => {
    await db.sql(`UPDATE job_configurations SET config_json = '{"work_ms": 2500}' WHERE id = $1`, [
      updater,
    ]);
    const first = await handle.engine.enqueue(updater);
    const second = await handle.engine.enqueue(updater);
    const failed = await executionWithStatus(db, first, 'failed', 6000, 'the timed-out run');
    expect(failed.error_message).toMatch(/timed out after 1 s/);
    await executionWithStatus(db, second, 'failed', 8000, 'the next run');
    const [a, b] = spans;
    if (!a?.end || !b) throw new Error(`expected two runs, saw ${JSON.stringify(spans)}`);
    expect(b.start).toBeGreaterThanOrEqual(a.end);
    // The row was ended once the handler had settled, not at the deadline.
    expect(failed.completed_at?.getTime()).toBeGreaterThanOrEqual(a.end - 50);
  });

  it('gives up on a handler that does not settle within the grace period, loudly', async () => {
    spans.length = 0;
    await db.sql(`UPDATE job_configurations SET config_json = '{"work_ms": 6000}' WHERE id = $1`, [
      updater,
    ]);
    const id = await handle.engine.enqueue(updater);
    await executionWithStatus(db, id, 'failed', 8000, 'the abandoned run');
    expect(
      handle.logs.lines.some(
        (l) => l.execution_id === id && l.level === 50 && /did not stop/.test(String(l.msg)),
      ),
    ).toBe(true);
  });
});
