import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { startGraphQL } from './harness.ts';
import { collectSse, wsClient } from './live-clients.ts';

let db: TestDatabase;
let g: Awaited<ReturnType<typeof startGraphQL>>;
beforeAll(async () => {
  db = await createTestDatabase();
  g = await startGraphQL(db, { schedulerEnabled: false });
});
afterAll(async () => {
  await g?.stop();
  await db?.drop();
});

test('stop closes open WebSocket and SSE subscribers after the grace period, without hanging', async () => {
  const server = await g.listen(); // grace 300 ms
  const query = 'subscription { executionStatusChanged { status } }';
  const client = wsClient(server.url);
  let closeCode: number | null = null;
  const wsDone = new Promise<void>((resolve) => {
    client.on('closed', (event) => {
      closeCode = (event as { code: number }).code;
      resolve();
    });
  });
  const wsSubscription = client.iterate({ query });
  const wsNext = wsSubscription.next().catch(() => ({ done: true }));
  const sse = collectSse(server.url, query);
  // Both subscribers are connected before stop().
  await new Promise((resolve) => setTimeout(resolve, 300));
  const startedAt = Date.now();
  await server.app.stop();
  const tookMs = Date.now() - startedAt;
  expect(tookMs).toBeGreaterThanOrEqual(250);
  expect(tookMs).toBeLessThan(2000);
  await wsDone;
  expect(closeCode).toBe(1001);
  await wsNext;
  const { payloads } = await sse;
  expect(payloads).toEqual([]);
  await client.dispose();
});
