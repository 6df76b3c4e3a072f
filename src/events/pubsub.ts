import { setMaxListeners } from 'node:events';
import { createPubSub as createYogaPubSub, type PubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import { closeRedis, connectRedis } from '../redis.ts';
import { AsyncQueue } from './async-queue.ts';
import type { Backlog } from './backlog.ts';
import { createRedisEventTarget, type ListeningEventTarget } from './redis-event-target.ts';
import type { RiftwatchTopics } from './topics.ts';

export { type Backlog, CLIENT_BACKLOG, SubscriberBehindError } from './backlog.ts';
export * from './topics.ts';

export type EventBus = {
  pubsub: RiftwatchPubSub;
  /** 'memory' (one process) or 'redis' (every process sharing REDIS_URL sees every event). */
  transport: 'memory' | 'redis';
  /** Waits until the Redis subscriber is connected (no-op in memory). */
  start(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * The topics' events, published to every subscriber. graphql-yoga's pubsub, but each
 * subscription an AsyncQueue: Yoga's queues (Repeaters) throw from inside the event listener once
 * 1,024 events wait for a consumer, an uncaught exception that would end the process. A
 * subscription with a `backlog` (one an API client reads) ends instead when its consumer stops
 * reading; one without holds every event for its consumer (the process's own readers).
 */
export type RiftwatchPubSub = {
  publish: PubSub<RiftwatchTopics>['publish'];
  subscribe<K extends keyof RiftwatchTopics>(
    topic: K,
    backlog?: Backlog,
  ): Subscription<RiftwatchTopics[K][0]>;
  /**
   * Resolves once events of `topic` published anywhere reach this process's subscriptions (over
   * Redis, when Redis has confirmed the subscription; in memory, at once), or once Redis has
   * refused it (reported as an event-bus error): it never rejects.
   */
  listening(topic: keyof RiftwatchTopics): Promise<void>;
};

/** A topic's events, until the consumer returns (or, with a backlog, stops reading). */
export type Subscription<T> = AsyncIterableIterator<T> & {
  return(): Promise<IteratorResult<T>>;
};

export function createPubSub(eventTarget: EventTarget = new EventTarget()): RiftwatchPubSub {
  // One listener per topic and subscription: Node's default cap of 10 would warn.
  if (eventTarget instanceof EventTarget) setMaxListeners(0, eventTarget);
  const { publish } = createYogaPubSub<RiftwatchTopics>({ eventTarget });
  return {
    publish,
    subscribe<K extends keyof RiftwatchTopics>(topic: K, backlog?: Backlog) {
      const listener = (event: Event) => queue.push((event as CustomEvent).detail);
      const queue = new AsyncQueue<RiftwatchTopics[K][0]>(
        {
          start: () => eventTarget.addEventListener(topic, listener),
          close: () => eventTarget.removeEventListener(topic, listener),
        },
        backlog,
      );
      return queue;
    },
    listening: (topic) =>
      (eventTarget as Partial<ListeningEventTarget<RiftwatchTopics>>).listening?.(topic) ??
      Promise.resolve(),
  };
}

/** At most one "could not publish" warning per this interval (job progress publishes often). */
const PUBLISH_WARN_INTERVAL_MS = 30_000;

/**
 * The pubsub seam between the job engine (and the Riot limiter, detection) and GraphQL
 * subscriptions. In-process by default; through Redis when `redisUrl` is set, so API and
 * worker processes see each other's events. GraphQL resolvers subscribe to `bus.pubsub` directly.
 *
 * While Redis is down, events are best effort: every event goes through Redis, local subscribers
 * included (that is what keeps delivery exactly-once across processes), so an event published
 * during the outage is dropped for every subscriber, in this process and in others. Publishing
 * fails fast (no offline queue) and never throws into the publisher; the drops are logged at
 * most once per PUBLISH_WARN_INTERVAL_MS. Subscriptions stay open and receive events again once
 * the connection is back (ioredis re-subscribes). Nothing lost is replayed: progress events are
 * full snapshots, so the next one catches up, and execution rows in the database stay the
 * record of what happened.
 */
export function createEventBus(options: {
  redisUrl?: string | undefined;
  logger: Logger;
}): EventBus {
  const logger = options.logger.child({ component: 'events' });
  const { redisUrl } = options;
  if (!redisUrl) {
    return {
      pubsub: createPubSub(),
      transport: 'memory',
      start: async () => {},
      stop: async () => {},
    };
  }
  // The subscriber keeps ioredis's offline queue and unbounded retries: it holds only
  // (UN)SUBSCRIBE commands, one per topic change, which must reach Redis once it is back.
  const subscribeClient = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: null,
  });
  // The publisher must not queue: events published while Redis is down would pile up without
  // bound and be delivered late. Rejected at once when disconnected; a publish already sent when
  // the connection drops fails at the first reconnect attempt.
  const publishClient = new Redis(redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
  });
  const onError = (error: unknown) => logger.warn({ err: error }, 'Event bus Redis error');
  publishClient.on('error', onError);
  subscribeClient.on('error', onError);
  let dropped = 0;
  let lastDropWarning = Number.NEGATIVE_INFINITY;
  const onPublishError = (error: unknown) => {
    dropped += 1;
    const now = Date.now();
    if (now - lastDropWarning < PUBLISH_WARN_INTERVAL_MS) return;
    lastDropWarning = now;
    logger.warn({ err: error, dropped }, 'Event bus could not publish; events dropped');
    dropped = 0;
  };
  const eventTarget = createRedisEventTarget<RiftwatchTopics>({
    publishClient,
    subscribeClient,
    // Channels are server-wide, whatever the database: the database number keeps two deployments
    // on one Redis from seeing each other's events. (Their rate-limit budgets are keyed by base URL
    // and API key instead: deployments sharing a Riot key need the same database to share one.)
    channelPrefix: `riftwatch:${publishClient.options.db ?? 0}:`,
    onError,
    onPublishError,
  });
  const clients = [publishClient, subscribeClient];
  return {
    pubsub: createPubSub(eventTarget),
    transport: 'redis',
    /** Rejects if Redis cannot be reached, leaving nothing connected or reconnecting. */
    start: async () => {
      await connectRedis(clients, redisUrl, 'Event bus');
      logger.info('Event bus on Redis');
    },
    /** Returns within about a second, whether Redis is up or not. */
    stop: async () => {
      await Promise.allSettled(clients.map(closeRedis));
    },
  };
}
