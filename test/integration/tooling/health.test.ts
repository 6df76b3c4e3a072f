import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createEmptyDatabase,
  createTestDatabase,
  type TestDatabase,
} from '../../helpers/database.ts';
import { type Started, startRiftwatch, stopRiftwatch } from '../../helpers/process.ts';
import { parsePrometheusText } from '../../helpers/prometheus-text.ts';
import { waitFor } from '../../helpers/wait.ts';

// A real riftwatch process on the test database, its job store in a second database. Each is
// taken away (connections refused and cut) and given back; /health follows by itself.
let db: TestDatabase;
let store: { url: string; drop(): Promise<void> };
let app: Started;
let admin: pg.Client;

const nameOf = (url: string) => new URL(url).pathname.slice(1);

async function setReachable(url: string, reachable: boolean): Promise<void> {
  const name = pg.escapeIdentifier(nameOf(url));
  await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS ${reachable}`);
  if (!reachable) {
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [nameOf(url)],
    );
  }
}

async function health() {
  const response = await fetch(`http://127.0.0.1:${app.port}/health`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  db = await createTestDatabase();
  store = await createEmptyDatabase();
  const server = new URL(db.url);
  server.pathname = '/postgres';
  admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  app = await startRiftwatch({
    DATABASE_URL: db.url,
    JOB_STORE_URL: store.url,
    PORT: '0',
    LOG_LEVEL: 'info',
  });
}, 90_000);
afterAll(async () => {
  if (app) await stopRiftwatch(app.child);
  for (const url of [db?.url, store?.url]) if (url) await setReachable(url, true).catch(() => {});
  await admin?.end();
  await store?.drop();
  await db?.drop();
});

describe('/health', () => {
  test('ok with every part up', async () => {
    expect(await health()).toEqual({
      status: 200,
      body: expect.objectContaining({ status: 'ok', database: 'up', jobStore: 'up' }),
    });
  });

  test('degraded (503) naming the job store while it is down, then ok again', async () => {
    await setReachable(store.url, false);
    const down = await waitFor(async () => {
      const h = await health();
      return h.status === 503 && h;
    });
    expect(down.body).toMatchObject({
      status: 'degraded',
      failing: ['jobStore'],
      jobStore: 'down',
      database: 'up',
    });
    await setReachable(store.url, true);
    const back = await waitFor(async () => {
      const h = await health();
      return h.status === 200 && h;
    }, 20_000);
    expect(back.body).toMatchObject({ status: 'ok', jobStore: 'up', database: 'up' });
    expect(back.body).not.toHaveProperty('failing');
  });

  test('degraded (503) naming the database while it is down, then ok again', async () => {
    await setReachable(db.url, false);
    const down = await waitFor(async () => {
      const h = await health();
      return h.status === 503 && h;
    });
    expect(down.body).toMatchObject({
      status: 'degraded',
      failing: ['database'],
      database: 'down',
    });
    await setReachable(db.url, true);
    await waitFor(async () => (await health()).status === 200, 20_000, 'database back');
    expect(app.child.exitCode).toBeNull();
    const logged = app.lines.filter((l) => l.includes('"Health: part down"'));
    expect(logged.map((l) => JSON.parse(l).part)).toEqual(['jobStore', 'database']);
  });
});

test('/metrics of the running process: riftwatch families and process metrics', async () => {
  const response = await fetch(`http://127.0.0.1:${app.port}/metrics`);
  const families = parsePrometheusText(await response.text());
  for (const name of [
    'riftwatch_job_executions_total',
    'riftwatch_riot_requests_total',
    'riftwatch_riot_rate_limit_used',
    'riftwatch_graphql_operations_total',
    'riftwatch_graphql_subscriptions_active',
    'process_cpu_user_seconds_total',
  ]) {
    expect(families.has(name), name).toBe(true);
  }
});
