import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
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

test('a WebSocket peer that never answers the close frame does not hold stop', async () => {
  const server = await g.listen();
  const { hostname, port } = new URL(server.url);
  // An upgraded socket that then reads nothing, as a hung client or a dead network path.
  const socket = connect(Number(port), hostname);
  const upgraded = new Promise<void>((resolve, reject) => {
    socket.once('data', (data) =>
      data.toString().startsWith('HTTP/1.1 101') ? resolve() : reject(new Error(String(data))),
    );
    socket.once('error', reject);
  });
  socket.write(
    [
      'GET /graphql HTTP/1.1',
      `Host: ${hostname}:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Protocol: graphql-transport-ws',
      '',
      '',
    ].join('\r\n'),
  );
  await upgraded;
  socket.pause();
  try {
    const startedAt = Date.now();
    await server.app.stop();
    // Grace (300 ms) and the close handshake's second; ws alone would wait 30 s.
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  } finally {
    socket.destroy();
  }
});
