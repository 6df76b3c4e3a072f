import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, serverUrlOf, type TestDatabase } from '../../helpers/database.ts';
import { configId, type EngineHandle, execution, startEngine, waitFor } from './engine-harness.ts';

let db: TestDatabase;
let handle: EngineHandle;
let updater: number;

beforeAll(async () => {
  db = await createTestDatabase();
  updater = await configId(db, 'tracked_player_updater');
  handle = await startEngine(db);
});
afterAll(async () => {
  await handle.engine.stop();
  await db.drop();
});

/** What a database restart does to a client: every connection to the database is cut. */
async function terminateConnections() {
  const admin = new pg.Client({ connectionString: `${serverUrlOf(db.url)}/postgres` });
  await admin.connect();
  try {
    const { rowCount } = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [db.name],
    );
    return rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

describe('the database drops every connection under a running engine', () => {
  it('logs it, reconnects, and keeps running triggers and applying SQL edits', async () => {
    // An uncaught 'error' from an idle pooled connection would fail this file in vitest.
    expect(await terminateConnections()).toBeGreaterThan(0);
    await waitFor(
      async () => handle.logs.lines.some((l) => /lost/.test(String(l.msg))),
      5000,
      'a connection-loss log line',
    );

    const id = await waitFor(
      () => handle.engine.enqueue(updater).catch(() => null),
      10_000,
      'a trigger accepted after the reconnect',
    );
    await waitFor(async () => (await execution(db, id))?.status === 'success', 10_000, 'the run');

    await waitFor(
      () =>
        db.sql('SELECT 1').then(
          () => true,
          () => false,
        ),
      5000,
      'the test pool reconnected',
    );
    await db.sql(`UPDATE job_configurations SET is_active = false WHERE id = $1`, [updater]);
    await waitFor(
      async () => !(await handle.engine.nextRuns()).has(updater),
      5000,
      'the edit applied through the re-established LISTEN',
    );
  });
});

describe('the final write of a run meets a transient error', () => {
  it('is retried while the run still heart-beats: the run ends as it did, logged', async () => {
    await db.sql(`UPDATE job_configurations SET config_json = '{}' WHERE id = $1`, [updater]);
    let failOnce = true;
    // One connection reset on the statement that ends the run; everything else reaches the database.
    const prisma = new Proxy(db.prisma, {
      get(target, name) {
        if (name === '$executeRaw') {
          return (strings: TemplateStringsArray, ...values: unknown[]) => {
            const text = strings.join('');
            if (failOnce && text.includes('completed_at = now()') && text.includes('worker_id =')) {
              failOnce = false;
              return Promise.reject(new Error('Connection terminated unexpectedly (injected)'));
            }
            return target.$executeRaw(strings, ...values);
          };
        }
        const value = Reflect.get(target, name);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await handle.engine.stop();
    // Stale after 3 s + lockMarginMs: the row would be failed by the sweep, not ended by the run.
    handle = await startEngine({ ...db, prisma }, { timeoutSeconds: 3 });
    const id = await handle.engine.enqueue(updater);
    const row = await waitFor(
      async () => {
        const current = await execution(db, id);
        return current && current.status !== 'running' && current.status !== 'pending'
          ? current
          : null;
      },
      10_000,
      'the run to end',
    );
    expect(failOnce).toBe(false);
    expect(row.status).toBe('success');
    expect(handle.logs.lines.some((l) => l.msg === 'Job complete' && l.execution_id === id)).toBe(
      true,
    );
  });

  it('whose reply is lost after it committed: the retry finds its own end, and the run is a success', async () => {
    await db.sql(`UPDATE job_configurations SET config_json = '{}' WHERE id = $1`, [updater]);
    let loseOnce = true;
    // The statement that ends the run commits, then its answer is lost (a reset after the commit).
    const prisma = new Proxy(db.prisma, {
      get(target, name) {
        if (name === '$executeRaw') {
          return async (strings: TemplateStringsArray, ...values: unknown[]) => {
            const text = strings.join('');
            const result = await target.$executeRaw(strings, ...values);
            if (loseOnce && text.includes('completed_at = now()') && text.includes('worker_id =')) {
              loseOnce = false;
              throw new Error('Connection terminated unexpectedly (injected, after the commit)');
            }
            return result;
          };
        }
        const value = Reflect.get(target, name);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await handle.engine.stop();
    handle = await startEngine({ ...db, prisma }, { timeoutSeconds: 3 });
    const id = await handle.engine.enqueue(updater);
    await waitFor(
      async () =>
        handle.logs.lines.some(
          (l) => l.execution_id === id && /^Job (complete|failed)$/.test(String(l.msg)),
        ),
      10_000,
      'the end of the run logged',
    );
    expect(loseOnce).toBe(false);
    expect((await execution(db, id))?.status).toBe('success');
    const ends = handle.logs.lines.filter((l) => l.execution_id === id).map((l) => l.msg);
    expect(ends).toContain('Job complete');
    expect(ends).not.toContain('Job failed');
  });
});
