import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createEventBus,
  type EventBus,
  type ExecutionStatusEvent,
} from '../../../src/events/pubsub.ts';
import { type ExecutionState, watchExecutions } from '../../../src/graphql/live.ts';
import { silentLogger } from '../../../src/logger.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';

function statusEvent(executionId: number): ExecutionStatusEvent {
  return {
    executionId,
    jobConfigId: 1,
    jobType: 'tracked_player_updater',
    status: 'running',
    trigger: 'manual',
    errorMessage: null,
    at: new Date().toISOString(),
  };
}

function runningState(executionId: number): ExecutionState {
  return {
    executionId,
    jobConfigId: 1,
    jobType: 'tracked_player_updater',
    status: 'running',
    phase: null,
    processed: 0,
    total: null,
    apiRequestsMade: 0,
    recordsCreated: 0,
    recordsUpdated: 0,
    errorMessage: null,
    at: new Date(),
    progressAt: null,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** 'stopped' if stop() resolves within 5 s, else 'hung' (shutdown would never close the database). */
function stopWithin5s(bus: EventBus) {
  return Promise.race([bus.stop().then(() => 'stopped'), sleep(5000).then(() => 'hung')]);
}

/** A logger whose warnings the test can read. */
function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, stream), lines };
}

/**
 * A TCP proxy to the test Redis that the test can cut, as if Redis went down; `delayMs` holds
 * what the client sends that long (a slow link); `stall` stops the traffic (a Redis that hangs).
 */
async function redisProxy(
  delayMs = 0,
): Promise<{ url: string; cut(): Promise<void>; stall(): void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(6379, '127.0.0.1');
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', drop);
      socket.on('close', drop);
    }
    if (delayMs > 0) client.on('data', (chunk) => setTimeout(() => upstream.write(chunk), delayMs));
    else client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    cut: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
    stall: () => {
      for (const socket of sockets) socket.pause();
    },
  };
}

async function firstEvents<T>(iterator: AsyncIterator<T>, count: number): Promise<T[]> {
  const seen: T[] = [];
  while (seen.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    seen.push(next.value);
  }
  return seen;
}

describe('event bus', () => {
  const buses: EventBus[] = [];
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.stop()));
  });

  it('delivers in process without Redis', async () => {
    const bus = createEventBus({ logger: silentLogger() });
    buses.push(bus);
    expect(bus.transport).toBe('memory');
    const iterator = bus.pubsub.subscribe('executionStatus')[Symbol.asyncIterator]();
    const pending = firstEvents(iterator, 1);
    bus.pubsub.publish('executionStatus', statusEvent(7));
    expect((await pending)[0]?.executionId).toBe(7);
    await iterator.return?.();
  });

  it('a subscriber with a backlog that stops reading is ended with LIMIT_REACHED; the others keep every event of a burst', async () => {
    const bus = createEventBus({ logger: silentLogger() });
    buses.push(bus);
    // Ten times 200 waiting would end a reader at once: the burst stays below.
    const backlog = { size: 200, stallMs: 50 };
    const stalled = bus.pubsub.subscribe('executionStatus', backlog);
    const reading = bus.pubsub.subscribe('executionStatus', backlog);
    const internal = bus.pubsub.subscribe('executionStatus');
    // All three listening: each has asked for a first event.
    const first = [stalled.next(), reading.next(), internal.next()];
    bus.pubsub.publish('executionStatus', statusEvent(0));
    await Promise.all(first);
    // A burst far over the backlog, published at once: before anyone can read.
    for (let i = 1; i <= 1500; i++) bus.pubsub.publish('executionStatus', statusEvent(i));
    expect((await firstEvents(reading, 1500)).at(-1)?.executionId).toBe(1500);
    await new Promise((resolve) => setTimeout(resolve, 150));
    // The stalled one is ended in place of what waited for it; the one without a backlog (the
    // process's own readers) still holds every event.
    await expect(stalled.next()).rejects.toMatchObject({
      name: 'SubscriberBehindError',
      code: 'LIMIT_REACHED',
    });
    expect((await firstEvents(internal, 1500)).at(-1)?.executionId).toBe(1500);
    await reading.return();
    await internal.return();
  });

  it('crosses processes through Redis, each event once', async () => {
    // Other test runs may share this Redis: random ids keep our events recognisable.
    const id = Number.parseInt(randomBytes(3).toString('hex'), 16);
    const publisher = createEventBus({ redisUrl: REDIS_URL, logger: silentLogger() });
    const subscriber = createEventBus({ redisUrl: REDIS_URL, logger: silentLogger() });
    buses.push(publisher, subscriber);
    await Promise.all([publisher.start(), subscriber.start()]);
    expect(subscriber.transport).toBe('redis');
    const remote = subscriber.pubsub.subscribe('executionStatus')[Symbol.asyncIterator]();
    const local = publisher.pubsub.subscribe('executionStatus')[Symbol.asyncIterator]();
    const remoteSeen = firstEvents(remote, 2);
    const localSeen = firstEvents(local, 2);
    // Let both SUBSCRIBE commands reach Redis before publishing.
    await new Promise((r) => setTimeout(r, 200));
    publisher.pubsub.publish('executionStatus', statusEvent(id));
    publisher.pubsub.publish('executionStatus', statusEvent(id + 1));
    expect((await remoteSeen).map((e) => e.executionId)).toEqual([id, id + 1]);
    expect((await localSeen).map((e) => e.executionId)).toEqual([id, id + 1]);
    await remote.return?.();
    await local.return?.();
  });

  it("two deployments on one Redis, each on its own database, do not see each other's events", async () => {
    const id = Number.parseInt(randomBytes(3).toString('hex'), 16);
    const [one, sameDb, other] = [`${REDIS_URL}/1`, `${REDIS_URL}/1`, `${REDIS_URL}/2`].map(
      (redisUrl) => createEventBus({ redisUrl, logger: silentLogger() }),
    ) as [EventBus, EventBus, EventBus];
    buses.push(one, sameDb, other);
    await Promise.all([one.start(), sameDb.start(), other.start()]);
    const seen = (bus: EventBus) => {
      const events: number[] = [];
      const stream = bus.pubsub.subscribe('executionStatus')[Symbol.asyncIterator]();
      void (async () => {
        for (let next = await stream.next(); !next.done; next = await stream.next()) {
          events.push((next.value as { executionId: number }).executionId);
        }
      })();
      return { events, stop: () => stream.return?.() };
    };
    const [mine, foreign] = [seen(sameDb), seen(other)];
    await new Promise((r) => setTimeout(r, 200));
    one.pubsub.publish('executionStatus', statusEvent(id));
    await vi.waitFor(() => expect(mine.events).toContain(id));
    // Published after, so delivered after, had it crossed.
    one.pubsub.publish('executionStatus', statusEvent(id + 1));
    await vi.waitFor(() => expect(mine.events).toContain(id + 1));
    await new Promise((r) => setTimeout(r, 100));
    expect(foreign.events).toEqual([]);
    await mine.stop();
    await foreign.stop();
  });

  it('a watcher reads its current state only once Redis listens: a final status published then still ends its stream', async () => {
    const id = Number.parseInt(randomBytes(3).toString('hex'), 16);
    const slow = await redisProxy(80);
    const publisher = createEventBus({ redisUrl: REDIS_URL, logger: silentLogger() });
    const subscriber = createEventBus({ redisUrl: slow.url, logger: silentLogger() });
    buses.push(publisher, subscriber);
    await Promise.all([publisher.start(), subscriber.start()]);
    const final = { ...statusEvent(id), status: 'success' as const };
    const stream = watchExecutions({
      pubsub: subscriber.pubsub,
      matches: (e) => e.executionId === id,
      // Another process ends the run just as this one reads it as running.
      initial: async () => {
        publisher.pubsub.publish('executionStatus', final);
        return [{ ...runningState(id), at: new Date(Date.parse(final.at) - 1000) }];
      },
      endOnFinal: true,
    });
    const seen: string[] = [];
    const ended = (async () => {
      for await (const state of stream) seen.push(state.status);
      return 'ended';
    })();
    expect(await Promise.race([ended, sleep(3000).then(() => 'never ended')])).toBe('ended');
    expect(seen).toEqual(['running', 'success']);
    await slow.cut();
  });

  it('a Redis that stops answering: publishes past the cap are dropped and logged, not held', async () => {
    const proxy = await redisProxy();
    const { logger, lines } = capturingLogger();
    const bus = createEventBus({ redisUrl: proxy.url, logger });
    buses.push(bus);
    await bus.start();
    proxy.stall();
    for (let i = 0; i < 1500; i++) bus.pubsub.publish('executionStatus', statusEvent(i));
    await vi.waitFor(() =>
      expect(lines.some((l) => /Event bus could not publish/.test(l.msg))).toBe(true),
    );
    await proxy.cut();
  });

  it('unreachable Redis: start() fails with a clear error, publishing does not throw, stop() returns', async () => {
    // Port 1: nothing listens there. Not in `buses`: a hung stop() would hang afterEach too.
    const bus = createEventBus({ redisUrl: 'redis://127.0.0.1:1', logger: silentLogger() });
    await expect(bus.start()).rejects.toThrow(/Redis at 127\.0\.0\.1:1/);
    const iterator = bus.pubsub.subscribe('executionStatus')[Symbol.asyncIterator]();
    const pending = iterator.next();
    for (let i = 0; i < 100; i++) bus.pubsub.publish('executionStatus', statusEvent(i));
    expect(await stopWithin5s(bus)).toBe('stopped');
    await iterator.return?.();
    await pending;
  });

  it('Redis lost while running: publishing fails fast and is logged, stop() returns', async () => {
    const proxy = await redisProxy();
    const { logger, lines } = capturingLogger();
    const bus = createEventBus({ redisUrl: proxy.url, logger });
    await bus.start();
    const id = Number.parseInt(randomBytes(3).toString('hex'), 16);
    const iterator = bus.pubsub.subscribe('executionStatus')[Symbol.asyncIterator]();
    const first = firstEvents(iterator, 1);
    await sleep(200);
    bus.pubsub.publish('executionStatus', statusEvent(id));
    expect((await first)[0]?.executionId).toBe(id);

    await proxy.cut();
    await sleep(100);
    // The job engine publishes progress all along: none of it may throw or wait for Redis.
    for (let i = 0; i < 1000; i++) bus.pubsub.publish('executionStatus', statusEvent(id + 1));
    await vi.waitFor(() => expect(lines.some((l) => /could not publish/i.test(l.msg))).toBe(true), {
      timeout: 2000,
      interval: 20,
    });
    // One warning for the burst, not one per event.
    expect(lines.filter((l) => /could not publish/i.test(l.msg)).length).toBe(1);
    expect(await stopWithin5s(bus)).toBe('stopped');
    await iterator.return?.();
  });
});
