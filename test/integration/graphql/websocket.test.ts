import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import WebSocket from 'ws';
import { CLIENT_BACKLOG } from '../../../src/events/pubsub.ts';
import { MAX_OPERATIONS_PER_SOCKET } from '../../../src/graphql/websocket.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { type Loose, startGraphQL, TOKEN } from './harness.ts';
import { HOSTILE, mutableState } from './hostile-cases.ts';
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

const state = () => mutableState(db);

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

/**
 * A connected socket that stops reading, then sends `pings` graphql-ws pings of 200 KB, which the
 * server answers with pongs of the same size. `resume()` reads again.
 */
async function notReading(pings: number) {
  const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init' }));
  await new Promise((resolve) => socket.once('message', resolve));
  const raw = (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  raw.pause();
  const ping = JSON.stringify({ type: 'ping', payload: { x: 'y'.repeat(200_000) } });
  for (let i = 0; i < pings; i++) socket.send(ping);
  return Object.assign(socket, { resume: () => raw.resume() });
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

  test('a client that stops reading is cut off once 16 MB wait for it, and nothing is printed', async () => {
    const printed = vi.spyOn(console, 'error');
    // 40 MB of pongs to read.
    const socket = await notReading(200);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await vi.waitFor(
      () =>
        expect(g.logs.lines).toContainEqual(
          expect.objectContaining({
            msg: 'WebSocket closed: the client does not read what it is sent',
          }),
        ),
      { timeout: 20_000, interval: 50 },
    );
    socket.resume();
    await closed;
    // The writes the cut-off left pending failed: not one stack trace on stderr for them.
    expect(printed).not.toHaveBeenCalled();
    printed.mockRestore();
  });

  test('a client gone while answers wait for it prints nothing', async () => {
    const printed = vi.spyOn(console, 'error');
    const socket = await notReading(30);
    await new Promise((resolve) => setTimeout(resolve, 500));
    socket.terminate();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(printed).not.toHaveBeenCalled();
    printed.mockRestore();
  });

  test('an address holds at most its share of live connections, WebSocket and SSE together', async () => {
    const limited = await startGraphQL(db, {
      schedulerEnabled: false,
      maxLiveConnectionsPerAddress: 3,
    });
    const live = await limited.listen();
    const wsUrl = live.url.replace(/^http/, 'ws');
    const open = async () => {
      const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
      return new Promise<{ socket: WebSocket; status: number }>((resolve) => {
        socket.once('open', () => resolve({ socket, status: 101 }));
        socket.once('unexpected-response', (_req, res) =>
          resolve({ socket, status: res.statusCode ?? 0 }),
        );
      });
    };
    const sse = new AbortController();
    try {
      const sockets = [await open(), await open()];
      // What curl sends: Yoga streams to `*/*` too.
      const stream = await fetch(live.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: '*/*' },
        body: JSON.stringify({ query: 'subscription { executionStatusChanged { status } }' }),
        signal: sse.signal,
      });
      expect(stream.status).toBe(200);
      // Two sockets and a stream: the fourth connection, of either kind, is refused.
      expect((await open()).status).toBe(429);
      expect(stream.headers.get('content-type')).toContain('text/event-stream');
      const refused = await fetch(live.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'Text/Event-Stream' },
        body: JSON.stringify({ query: 'subscription { executionStatusChanged { status } }' }),
      });
      expect({ status: refused.status, body: await refused.json() }).toEqual({
        status: 429,
        body: { errors: [{ message: expect.any(String), extensions: { code: 'LIMIT_REACHED' } }] },
      });
      // Two refusals, one log line.
      expect(
        limited.logs.lines.filter((l) => l.msg === 'Too many live connections from this address'),
      ).toHaveLength(1);
      // One leaves: room for one more.
      const closed = new Promise((resolve) => sockets[0]?.socket.once('close', resolve));
      sockets[0]?.socket.close();
      await closed;
      await vi.waitFor(async () => {
        const next = await open();
        next.socket.terminate();
        expect(next.status).toBe(101);
      });
      for (const { socket } of sockets) socket.terminate();
    } finally {
      sse.abort();
      await live.app.stop();
      await limited.stop();
    }
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
      // Large events fill the socket buffers between the two ends sooner (one string for all).
      const large = 'x'.repeat(20_000);
      const event = (i: number) => ({
        puuid: `P${i}`,
        riotId: large,
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
      // More than ten times the backlog waits: ended without waiting for the stall time.
      const published = 12 * CLIENT_BACKLOG.size;
      for (let batch = 0; batch < published / 100; batch++) {
        for (let i = 0; i < 100; i++) g.pubsub.publish('playerFlagged', event(batch * 100 + i));
        await new Promise((resolve) => setImmediate(resolve));
      }
      socket.resume();
      await arrived((m) => m.type === 'error' && m.id === 'flags');
      const error = messages.find((m) => m.type === 'error');
      expect(error.payload[0]).toMatchObject({
        message: expect.stringContaining('events behind'),
        extensions: { code: 'LIMIT_REACHED' },
      });
      // Fewer than were published: what waited was dropped.
      expect(messages.filter((m) => m.type === 'next').length).toBeLessThan(published);
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

/** A raw graphql-transport-ws socket on the server, acknowledged, with the messages it got. */
async function rawSocket() {
  const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const messages: Loose[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init' }));
  await vi.waitFor(() => expect(messages).toContainEqual({ type: 'connection_ack' }));
  return { socket, messages, closed };
}

/** Counts the pubsub subscriptions operations make, and those read from and not closed. */
function countSubscriptions() {
  const subscribe = g.pubsub.subscribe;
  const counts = {
    made: 0,
    listening: 0,
    restore: () => {
      g.pubsub.subscribe = subscribe;
    },
  };
  g.pubsub.subscribe = ((...args: Parameters<typeof subscribe>) => {
    const stream = subscribe(...args);
    counts.made += 1;
    let listening = false;
    const next = stream.next.bind(stream);
    stream.next = () => {
      if (!listening) counts.listening += 1;
      listening = true;
      return next();
    };
    const close = stream.return.bind(stream);
    stream.return = () => {
      if (listening) counts.listening -= 1;
      listening = false;
      return close();
    };
    return stream;
  }) as typeof subscribe;
  return counts;
}

describe('the protocol, misused', () => {
  test('an id reused while its operation starts is refused (CONFLICT): nothing outlives the socket', async () => {
    const counted = countSubscriptions();
    try {
      const { socket, messages, closed } = await rawSocket();
      const query = 'subscription { playerFlagged { puuid } }';
      // subscribe, complete, subscribe again, for each id: sent together, all arrive while the
      // first operation of each id is still starting.
      for (let i = 0; i < 20; i++) {
        const id = String(i);
        socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query } }));
        socket.send(JSON.stringify({ id, type: 'complete' }));
        socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query } }));
      }
      // Each id ends: refused, or completed (the first operation, cancelled, once started).
      const ended = () => messages.filter((m) => m.type === 'error' || m.type === 'complete');
      await vi.waitFor(() => expect(new Set(ended().map((m) => m.id)).size).toBe(20));
      const refused = messages.filter((m) => m.type === 'error');
      expect(refused.length).toBeGreaterThan(0);
      for (const m of refused) expect(m.payload[0].extensions.code).toBe('CONFLICT');
      // Nothing is left listening, with the socket still open.
      await vi.waitFor(() => expect(counted.listening).toBe(0));
      socket.close();
      await closed;
    } finally {
      counted.restore();
    }
  });

  test(`more than ${MAX_OPERATIONS_PER_SOCKET} operations on one socket: LIMIT_REACHED`, async () => {
    const client = wsClient(server.url, undefined, { lazy: false });
    const errors: Loose[] = [];
    const stops: (() => void)[] = [];
    for (let i = 0; i <= MAX_OPERATIONS_PER_SOCKET; i++) {
      stops.push(
        client.subscribe(
          { query: 'subscription { playerFlagged { puuid } }' },
          { next: () => {}, error: (e) => errors.push(e), complete: () => {} },
        ),
      );
    }
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0][0].extensions.code).toBe('LIMIT_REACHED');
    // One fewer, and there is room again.
    stops[0]?.();
    const [result] = await collect(client, '{ jobs { name } }');
    expect(result?.data?.jobs).toHaveLength(3);
    for (const stop of stops) stop();
    await client.dispose();
  });

  test('nor can operations completed while they start pile up beyond the limit', async () => {
    const counted = countSubscriptions();
    try {
      const { socket, messages } = await rawSocket();
      const query = 'subscription { playerFlagged { puuid } }';
      // In one TCP write, so they all arrive before any of them has started.
      const tcp = (socket as unknown as { _socket: import('node:net').Socket })._socket;
      tcp.cork();
      for (let i = 0; i <= 1.5 * MAX_OPERATIONS_PER_SOCKET; i++) {
        socket.send(JSON.stringify({ id: `p${i}`, type: 'subscribe', payload: { query } }));
        socket.send(JSON.stringify({ id: `p${i}`, type: 'complete' }));
      }
      socket.send(JSON.stringify({ type: 'ping' }));
      tcp.uncork();
      await vi.waitFor(() => expect(messages).toContainEqual({ type: 'pong' }));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(counted.made).toBeGreaterThan(0);
      expect(counted.made).toBeLessThanOrEqual(MAX_OPERATIONS_PER_SOCKET);
      socket.close();
    } finally {
      counted.restore();
    }
  });

  test('an operation name the document lacks is INVALID_INPUT, as over HTTP', async () => {
    const client = wsClient(server.url);
    const rejected = await collect(client, 'query A { jobs { name } }', {}).then(
      () => null,
      (e: Loose) => e,
    );
    expect(rejected).toBeNull();
    const { socket, messages } = await rawSocket();
    const twoOperations = 'query A { jobs { name } } query B { jobs { name } }';
    for (const [id, payload] of [
      ['unnamed', { query: twoOperations }],
      ['missing', { query: twoOperations, operationName: 'Nope' }],
    ] as const) {
      socket.send(JSON.stringify({ id, type: 'subscribe', payload }));
      await vi.waitFor(() => expect(messages.some((m) => m.id === id)).toBe(true));
      expect(messages.find((m) => m.id === id)).toMatchObject({
        type: 'error',
        payload: [
          { extensions: { code: 'INVALID_INPUT', reason: 'OPERATION_RESOLUTION_FAILURE' } },
        ],
      });
    }
    socket.close();
    await client.dispose();
  });

  test('a message only a server sends closes the socket as a bad request (4400): one log line, nothing on stderr', async () => {
    const printed = vi.spyOn(console, 'error');
    try {
      const messages = [
        { type: 'next', id: '1', payload: {} },
        { type: 'connection_ack' },
        { type: 'error', id: '1', payload: [{ message: 'x' }] },
      ].map((m) => JSON.stringify(m));
      // The same, with the key's letters escaped.
      messages.push('{"\\u0074ype":"next","id":"1","payload":{}}');
      for (const message of messages) {
        const { socket, closed } = await rawSocket();
        socket.send(message);
        expect(await closed).toEqual({ code: 4400, reason: 'Invalid message received' });
      }
      expect(printed).not.toHaveBeenCalled();
      expect(
        g.logs.lines.filter((l) => l.msg === 'WebSocket closed: the client sent a server message'),
      ).toHaveLength(4);
    } finally {
      printed.mockRestore();
    }
  });
});
