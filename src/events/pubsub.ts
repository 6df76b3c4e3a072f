import { createPubSub, type PubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import { createRedisEventTarget } from './redis-event-target.ts';
import type { RiftwatchTopics } from './topics.ts';

export type { RiftwatchTopics } from './topics.ts';
export * from './topics.ts';

export type RiftwatchPubSub = PubSub<RiftwatchTopics>;

export type EventBus = {
  pubsub: RiftwatchPubSub;
  /** 'memory' (one process) or 'redis' (every process sharing REDIS_URL sees every event). */
  transport: 'memory' | 'redis';
  /** Waits until the Redis subscriber is connected (no-op in memory). */
  start(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * The pubsub seam between the job engine (and the Riot limiter, detection) and GraphQL
 * subscriptions. In-process by default; through Redis when `redisUrl` is set, so API and
 * worker processes see each other's events. GraphQL resolvers subscribe to `bus.pubsub` directly.
 */
export function createEventBus(options: {
  redisUrl?: string | undefined;
  logger: Logger;
}): EventBus {
  const logger = options.logger.child({ component: 'events' });
  if (!options.redisUrl) {
    return {
      pubsub: createPubSub<RiftwatchTopics>(),
      transport: 'memory',
      start: async () => {},
      stop: async () => {},
    };
  }
  const redisOptions = { lazyConnect: true, maxRetriesPerRequest: null } as const;
  const publishClient = new Redis(options.redisUrl, redisOptions);
  const subscribeClient = new Redis(options.redisUrl, redisOptions);
  const onError = (error: unknown) => logger.warn({ err: error }, 'Event bus Redis error');
  publishClient.on('error', onError);
  subscribeClient.on('error', onError);
  const eventTarget = createRedisEventTarget<RiftwatchTopics>({
    publishClient,
    subscribeClient,
    onError,
  });
  return {
    pubsub: createPubSub<RiftwatchTopics>({ eventTarget }),
    transport: 'redis',
    start: async () => {
      await Promise.all([publishClient.connect(), subscribeClient.connect()]);
      logger.info('Event bus on Redis');
    },
    stop: async () => {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}
