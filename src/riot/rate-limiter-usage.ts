import type { Logger } from '../logger.ts';
import type { LimitWindow } from './rate-limit-headers.ts';
import type { RequestLog } from './request-log.ts';

export type WindowUsage = {
  limit: number;
  used: number;
  windowSeconds: number;
  percentage: number;
};

export type RoutingUsage = {
  routing: string;
  app: WindowUsage[];
  methods: Record<string, WindowUsage[]>;
  /** Callers waiting for a slot. */
  queued: number;
  /** Remaining wait imposed by a 429 on the whole routing value (clock ms), 0 when none. */
  blockedForMs: number;
};

export type UsageListener = (usage: RoutingUsage) => void;

type ScopeLike = { windows: LimitWindow[] | null; log: RequestLog; blockedUntil: number };
type BucketLike = {
  routing: string;
  app: ScopeLike;
  methods: Map<string, ScopeLike>;
  queue: unknown[];
};

function windowsOf(scope: ScopeLike, now: number, scale: number, marginMs: number): WindowUsage[] {
  return (scope.windows ?? []).map((w) => {
    const used = scope.log.count(w.windowSeconds * 1000 * scale, marginMs, now);
    const percentage = Math.round((used / w.limit) * 1000) / 10;
    return { limit: w.limit, used, windowSeconds: w.windowSeconds, percentage };
  });
}

export function usageOf(
  bucket: BucketLike,
  now: number,
  scale: number,
  marginMs: number,
): RoutingUsage {
  const methods: Record<string, WindowUsage[]> = {};
  for (const [name, scope] of bucket.methods)
    methods[name] = windowsOf(scope, now, scale, marginMs);
  return {
    routing: bucket.routing,
    app: windowsOf(bucket.app, now, scale, marginMs),
    methods,
    queued: bucket.queue.length,
    blockedForMs: Math.max(0, bucket.app.blockedUntil - now),
  };
}

/** Logs once per window length per window, so a saturated budget does not flood the logs. */
export function warnNearCapacity(
  logger: Logger | undefined,
  lastWarned: Map<string, number>,
  bucket: BucketLike,
  now: number,
  scale: number,
  marginMs: number,
): void {
  if (!logger) return;
  const scopes: Array<[string, ScopeLike]> = [['application', bucket.app], ...bucket.methods];
  for (const [name, scope] of scopes) {
    for (const w of windowsOf(scope, now, scale, marginMs)) {
      if (w.percentage < 90) continue;
      const key = `${bucket.routing}|${name}|${w.windowSeconds}`;
      const last = lastWarned.get(key);
      if (last !== undefined && now - last < w.windowSeconds * 1000 * scale) continue;
      lastWarned.set(key, now);
      logger.warn(
        { routing: bucket.routing, scope: name, ...w },
        'Rate limit approaching capacity',
      );
    }
  }
}
