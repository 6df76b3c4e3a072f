import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { startRiftwatch, stopRiftwatch } from '../../helpers/process.ts';
import { wsClient } from '../graphql/live-clients.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const post = async (port: number, query: string, headers: Record<string, string> = {}) =>
  (
    await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    })
  ).json();

it('npm start serves /graphql; without ADMIN_TOKEN it says so and takes mutations from loopback only; LIVE_CONNECTIONS_PER_ADDRESS caps live connections', async () => {
  const app = await startRiftwatch({
    DATABASE_URL: db.url,
    PORT: '0',
    LOG_LEVEL: 'info',
    ADMIN_TOKEN: undefined,
    JOB_SCHEDULER_ENABLED: 'false',
    LIVE_CONNECTIONS_PER_ADDRESS: '1',
  });
  expect(app.lines.some((l) => l.includes('mutations are accepted from loopback'))).toBe(true);
  const status = await post(app.port, '{ statusOverview { scheduler { enabled } jobs { name } } }');
  expect(status.data.statusOverview.scheduler.enabled).toBe(false);
  const configured = await post(
    app.port,
    'mutation { configureJob(input: { jobId: "3", schedule: "1 hour" }) { __typename } }',
  );
  expect(configured.data.configureJob.__typename).toBe('JobPayload');
  const { rows } = await db.sql('SELECT schedule FROM job_configurations WHERE id = 3');
  expect(rows[0]?.schedule).toBe('1 hour');

  // An open subscriber does not hold up the shutdown.
  const client = wsClient(`http://127.0.0.1:${app.port}/graphql`);
  const subscription = client.iterate({
    query: 'subscription { executionStatusChanged { status } }',
  });
  const next = subscription.next().catch(() => null);
  await new Promise((resolve) => setTimeout(resolve, 300));
  // The WebSocket is this address's one live connection: a stream beside it is refused.
  const stream = await fetch(`http://127.0.0.1:${app.port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: 'subscription { executionStatusChanged { status } }' }),
  });
  expect(stream.status).toBe(429);
  await stream.body?.cancel();
  const startedAt = Date.now();
  expect(await stopRiftwatch(app.child)).toBe(0);
  expect(Date.now() - startedAt).toBeLessThan(8000);
  await next;
  await client.dispose();
});
