import type { PubSubEventTarget } from 'graphql-yoga';
import type { Redis } from 'ioredis';

type TopicEvent = CustomEvent<unknown>;
type Listener = ((event: TopicEvent) => void) | { handleEvent(event: TopicEvent): void };

/**
 * An event target that can tell when a topic's events reach it: `listening` settles once Redis has
 * answered SUBSCRIBE. It resolves on a failure too (reported through `onError`): waiting longer
 * would not make the events come.
 */
export type ListeningEventTarget<
  TTopics extends Record<string, [] | [unknown] | [number | string, unknown]>,
> = PubSubEventTarget<TTopics> & { listening(type: string): Promise<void> };

/**
 * An EventTarget over Redis pub/sub, the same contract as `@graphql-yoga/redis-event-target`
 * (that package pins ioredis 5 as a peer; riftwatch is on ioredis 6, and the whole thing is
 * this small). Dispatch publishes JSON on `<prefix><topic>`; every process subscribed to the
 * topic, the publisher included, then delivers the event to its local listeners, so each
 * listener sees each event exactly once.
 */
export function createRedisEventTarget<
  TTopics extends Record<string, [] | [unknown] | [number | string, unknown]>,
>(options: {
  publishClient: Redis;
  subscribeClient: Redis;
  channelPrefix?: string;
  onError?: (error: unknown) => void;
  /** A publish that failed (Redis unavailable, unserialisable detail); `onError` if unset. */
  onPublishError?: (error: unknown) => void;
  /** Publishes sent and not yet answered past this are dropped (a Redis that stopped answering). */
  maxInFlight?: number;
}): ListeningEventTarget<TTopics> {
  const { publishClient, subscribeClient } = options;
  const prefix = options.channelPrefix ?? 'riftwatch:';
  const listeners = new Map<string, Set<Listener>>();
  /** Per topic: resolves once Redis has answered SUBSCRIBE, confirmed or failed. */
  const subscribed = new Map<string, Promise<void>>();
  const maxInFlight = options.maxInFlight ?? 1000;
  let inFlight = 0;
  const report = options.onError ?? (() => {});
  const reportPublish = options.onPublishError ?? report;

  subscribeClient.on('message', (channel: string, message: string) => {
    if (!channel.startsWith(prefix)) return;
    const topic = channel.slice(prefix.length);
    const set = listeners.get(topic);
    if (!set) return;
    let detail: unknown;
    try {
      detail = message === '' ? null : JSON.parse(message);
    } catch (error) {
      report(error);
      return;
    }
    const event = new CustomEvent(topic, { detail });
    for (const listener of set) {
      if (typeof listener === 'function') listener(event);
      else listener.handleEvent(event);
    }
  });

  const target = {
    addEventListener(type: string, callback: Listener | null) {
      if (!callback) return;
      let set = listeners.get(type);
      if (!set) {
        set = new Set();
        listeners.set(type, set);
        subscribed.set(
          type,
          subscribeClient.subscribe(prefix + type).then(
            () => {},
            (error) => report(error),
          ),
        );
      }
      set.add(callback);
    },
    removeEventListener(type: string, callback: Listener | null) {
      const set = listeners.get(type);
      if (!set || !callback) return;
      set.delete(callback);
      if (set.size === 0) {
        listeners.delete(type);
        subscribed.delete(type);
        subscribeClient.unsubscribe(prefix + type).catch(report);
      }
    },
    // Never throws into the publisher (the job engine): a failed publish is reported and dropped.
    dispatchEvent(event: TopicEvent) {
      if (inFlight >= maxInFlight) {
        reportPublish(new Error(`Redis has not answered ${inFlight} publishes: event dropped`));
        return true;
      }
      try {
        const body = event.detail === undefined ? '' : JSON.stringify(event.detail);
        inFlight += 1;
        publishClient
          .publish(prefix + event.type, body)
          .catch(reportPublish)
          .finally(() => {
            inFlight -= 1;
          });
      } catch (error) {
        reportPublish(error);
      }
      return true;
    },
    listening: (type: string) => subscribed.get(type) ?? Promise.resolve(),
  };
  return target as unknown as ListeningEventTarget<TTopics>;
}
