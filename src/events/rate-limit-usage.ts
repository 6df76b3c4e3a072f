import type { RateLimiter } from '../riot/rate-limiter.ts';
import type { RoutingUsage } from '../riot/rate-limiter-usage.ts';
import type { RateLimitUsageEvent, RiftwatchPubSub } from './pubsub.ts';

/**
 * Publishes the limiter's per-routing usage as `rateLimitUsage` events: at most one per routing
 * value every `intervalMs` (the usage changes with every request), always ending on the latest
 * state. Returns a function that stops publishing.
 */
export function publishRateLimitUsage(
  limiter: Pick<RateLimiter, 'onUsage'>,
  pubsub: RiftwatchPubSub,
  intervalMs = 1000,
): () => void {
  const latest = new Map<string, RoutingUsage>();
  const changed = new Set<string>();
  const timers = new Map<string, NodeJS.Timeout>();
  const publish = (routing: string) => {
    const usage = latest.get(routing);
    if (usage) pubsub.publish('rateLimitUsage', toEvent(usage));
    timers.set(
      routing,
      setTimeout(() => {
        timers.delete(routing);
        // Changes during the interval: their latest state goes out now.
        if (changed.delete(routing)) publish(routing);
      }, intervalMs),
    );
  };
  const unsubscribe = limiter.onUsage((usage) => {
    latest.set(usage.routing, usage);
    if (timers.has(usage.routing)) changed.add(usage.routing);
    else publish(usage.routing);
  });
  return () => {
    unsubscribe();
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
  };
}

export function toEvent(usage: RoutingUsage): RateLimitUsageEvent {
  const windows = [
    ...usage.app.map((w) => ({ ...w, scope: 'app' })),
    ...Object.entries(usage.methods).flatMap(([method, ws]) =>
      ws.map((w) => ({ ...w, scope: method })),
    ),
  ].map(({ limit, used, windowSeconds, scope }) => ({ limit, used, windowSeconds, scope }));
  return {
    routing: usage.routing,
    windows,
    queued: usage.queued,
    blockedForMs: usage.blockedForMs,
    at: new Date().toISOString(),
  };
}
