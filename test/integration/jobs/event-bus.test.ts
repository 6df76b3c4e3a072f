import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createEventBus,
  type EventBus,
  type ExecutionStatusEvent,
} from '../../../src/events/pubsub.ts';
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
});
