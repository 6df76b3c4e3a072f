import type { Logger } from '../logger.ts';
import type { LimitWindow } from './rate-limit-headers.ts';

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

export function windowUsage(w: LimitWindow, used: number): WindowUsage {
  const percentage = Math.round((used / w.limit) * 1000) / 10;
  return { limit: w.limit, used, windowSeconds: w.windowSeconds, percentage };
}

/** Logs once per window length per window, so a saturated budget does not flood the logs. */
export function warnNearCapacity(
  logger: Logger | undefined,
  lastWarned: Map<string, number>,
  usage: RoutingUsage,
  now: number,
  scale: number,
): void {
  if (!logger) return;
  const scopes: Array<[string, WindowUsage[]]> = [
    ['application', usage.app],
    ...Object.entries(usage.methods),
  ];
  for (const [name, windows] of scopes) {
    for (const w of windows) {
      if (w.percentage < 90) continue;
      const key = `${usage.routing}|${name}|${w.windowSeconds}`;
      const last = lastWarned.get(key);
      if (last !== undefined && now - last < w.windowSeconds * 1000 * scale) continue;
      lastWarned.set(key, now);
      logger.warn({ routing: usage.routing, scope: name, ...w }, 'Rate limit approaching capacity');
    }
  }
}
