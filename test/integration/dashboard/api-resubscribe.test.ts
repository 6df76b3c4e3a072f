import { afterAll, beforeAll, expect, test } from 'vitest';
import WebSocket from 'ws';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { waitFor } from '../../helpers/wait.ts';
import { startGraphQL } from '../graphql/harness.ts';

let db: TestDatabase;
let g: Awaited<ReturnType<typeof startGraphQL>>;
let server: Awaited<ReturnType<typeof g.listen>>;
beforeAll(async () => {
  db = await createTestDatabase();
  g = await startGraphQL(db);
  server = await g.listen();
  // What the dashboard's module expects of a browser.
  Object.assign(globalThis, { WebSocket, location: { href: server.url } });
});
afterAll(async () => {
  await server?.app.stop();
  await g?.stop();
  await db?.drop();
});

test('a subscription the server ends with an error is made again, and what it missed read again', async () => {
  const { createApi } = await import('../../../src/dashboard/graphql.ts');
  const api = createApi(server.url);
  let missed = 0;
  let reconnects = 0;
  api.onMissed(() => {
    missed += 1;
  });
  // The socket stayed up: that is no return of the server.
  api.onReconnect(() => {
    reconnects += 1;
  });
  // Refused by the server (no such execution): each attempt ends with an error.
  const stop = api.subscribe(
    'subscription { jobProgress(executionId: "999999") { status } }',
    () => {},
  );
  await waitFor(async () => (missed >= 1 ? true : null), 15_000, 'a second attempt');
  stop();
  const after = missed;
  await new Promise((resolve) => setTimeout(resolve, 4000));
  // Unsubscribed: no further attempt.
  expect(missed).toBe(after);
  expect(reconnects).toBe(0);
}, 30_000);
