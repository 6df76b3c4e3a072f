import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import WebSocket from 'ws';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { type Loose, startGraphQL, TOKEN } from './harness.ts';
import { HOSTILE } from './hostile-cases.ts';
import { collect, type Payload, wsClient } from './live-clients.ts';
import { seedPlayers } from './seed.ts';

let db: TestDatabase;
let g: Awaited<ReturnType<typeof startGraphQL>>;
let server: Awaited<ReturnType<typeof g.listen>>;
beforeAll(async () => {
  db = await createTestDatabase();
  await seedPlayers(db);
  // No scheduled runs: the database must change only if a request changes it.
  g = await startGraphQL(db, { schedulerEnabled: false });
  server = await g.listen();
});
afterAll(async () => {
  await server?.app.stop();
  await g?.stop();
  await db?.drop();
});

/** Everything a mutation could change. */
async function state() {
  const tables = [
    'SELECT puuid, is_tracked, is_analyzed, tracked_at FROM players ORDER BY puuid',
    'SELECT id, is_active, schedule, config_json, updated_at FROM job_configurations ORDER BY id',
    'SELECT id, status, error_message FROM job_executions ORDER BY id',
  ];
  return Promise.all(tables.map(async (sql) => (await db.sql(sql)).rows));
}

/**
 * The typed code of an operation over graphql-ws: a result union's `code`, a top-level error's
 * `extensions.code` in the result, or that of the errors the server rejects the operation with.
 */
async function codeOver(client: ReturnType<typeof wsClient>, query: string, variables = {}) {
  let results: Payload[];
  try {
    results = await collect(client, query, variables);
  } catch (rejected) {
    return (rejected as Loose[])[0]?.extensions?.code as string | undefined;
  }
  const [first] = results;
  const top = first?.errors?.[0]?.extensions?.code;
  if (top) return top as string;
  return (Object.values(first?.data ?? {})[0] as { code?: string } | null)?.code;
}

describe('over graphql-ws', () => {
  test('the hostile inputs: each the typed error it gets over HTTP, nothing changed', async () => {
    const cases = HOSTILE.filter((c) => c.raw === undefined);
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const client = wsClient(server.url, { authorization: `Bearer ${TOKEN}` }, { lazy: false });
    // A refusal answers the operation; it must not close the socket (and every other
    // subscription on it).
    let closes = 0;
    client.on('closed', () => closes++);
    const before = await state();
    const failures: string[] = [];
    for (const c of cases) {
      const code = await codeOver(client, c.query, c.variables);
      if (code !== c.code) failures.push(`${c.name}: expected ${c.code}, got ${code}`);
      if (JSON.stringify(await state()) !== JSON.stringify(before))
        failures.push(`${c.name}: changed the database`);
    }
    expect(closes).toBe(0);
    await client.dispose();
    expect(failures).toEqual([]);
  });

  test('a message over the size limit closes that socket only; nothing changed', async () => {
    const before = await state();
    const printed = vi.spyOn(console, 'error');
    const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    socket.send(
      JSON.stringify({
        id: '1',
        type: 'subscribe',
        payload: { query: `mutation { disableAllJobs { __typename } } #${'x'.repeat(300_000)}` },
      }),
    );
    // 1009: message too big.
    expect(await closed).toBe(1009);
    expect(await state()).toEqual(before);
    // One log line, nothing printed to stderr by graphql-ws.
    expect(printed).not.toHaveBeenCalled();
    printed.mockRestore();
    expect(g.logs.lines).toContainEqual(
      expect.objectContaining({
        msg: 'WebSocket closed: Max payload size exceeded',
        code: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH',
      }),
    );
    const client = wsClient(server.url);
    expect(await collect(client, '{ jobs { name } }')).toEqual([
      { data: { jobs: expect.arrayContaining([{ name: 'Tracked Player Updater' }]) } },
    ]);
    await client.dispose();
  });

  test('mutations are throttled per caller: RATE_LIMITED with retryAfter, nothing triggered', async () => {
    const throttled = await startGraphQL(db, {
      schedulerEnabled: false,
      throttle: { burst: 2, perMinute: 6 },
    });
    const live = await throttled.listen();
    const client = wsClient(live.url, { authorization: `Bearer ${TOKEN}` });
    const trigger = `mutation { triggerJob(input: { jobId: "2" }) { __typename } }`;
    try {
      for (let i = 0; i < 2; i++) {
        const [result] = await collect(client, trigger);
        expect(result?.data?.triggerJob.__typename).toBe('ExecutionPayload');
      }
      const executions = 'SELECT count(*)::int AS n FROM job_executions';
      const count = (await db.sql(executions)).rows[0];
      const [refused] = await collect(client, trigger);
      expect(refused?.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
      expect(refused?.errors?.[0]?.extensions?.retryAfter).toBeGreaterThanOrEqual(9);
      expect((await db.sql(executions)).rows[0]).toEqual(count);
      // Reads are not throttled.
      expect((await collect(client, '{ jobs { name } }'))[0]?.data?.jobs).toHaveLength(3);
    } finally {
      await client.dispose();
      await live.app.stop();
      await throttled.stop();
    }
  });
});

describe('a client that stops reading', () => {
  test('its subscription ends with LIMIT_REACHED once it falls behind; the server carries on', async () => {
    const uncaught = vi.fn();
    process.on('uncaughtException', uncaught);
    const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const messages: Loose[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    const arrived = (test: (m: Loose) => boolean) =>
      vi.waitFor(() => expect(messages.some(test)).toBe(true), { timeout: 20_000, interval: 20 });
    try {
      await new Promise((resolve) => socket.once('open', resolve));
      socket.send(JSON.stringify({ type: 'connection_init' }));
      await arrived((m) => m.type === 'connection_ack');
      socket.send(
        JSON.stringify({
          id: 'flags',
          type: 'subscribe',
          payload: { query: 'subscription { playerFlagged { puuid riotId } }' },
        }),
      );
      const event = (i: number) => ({
        puuid: `P${i}`,
        // Large events fill the socket buffers between the two ends sooner.
        riotId: `${'x'.repeat(20_000)}#${i}`,
        smurfScore: 0.9,
        confidence: 'high',
        at: new Date().toISOString(),
      });
      // Published until the first one arrives: the subscription is listening.
      while (!messages.some((m) => m.type === 'next')) {
        g.pubsub.publish('playerFlagged', event(-1));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      socket.pause();
      for (let batch = 0; batch < 40; batch++) {
        for (let i = 0; i < 100; i++) g.pubsub.publish('playerFlagged', event(batch * 100 + i));
        await new Promise((resolve) => setImmediate(resolve));
      }
      socket.resume();
      await arrived((m) => m.type === 'error' && m.id === 'flags');
      const error = messages.find((m) => m.type === 'error');
      expect(error.payload[0].extensions.code).toBe('LIMIT_REACHED');
      // Fewer than were published: the rest were never queued.
      expect(messages.filter((m) => m.type === 'next').length).toBeLessThan(4000);
      expect(uncaught).not.toHaveBeenCalled();
      const client = wsClient(server.url);
      expect((await collect(client, '{ jobs { name } }'))[0]?.data?.jobs).toHaveLength(3);
      await client.dispose();
    } finally {
      socket.close();
      process.off('uncaughtException', uncaught);
    }
  });
});
