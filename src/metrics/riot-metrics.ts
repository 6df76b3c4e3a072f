import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { RiotRequestInfo } from '../riot/client.ts';
import type { RateLimiter } from '../riot/rate-limiter.ts';
import type { RoutingUsage } from '../riot/rate-limiter-usage.ts';

type WindowLabels = { routing: string; scope: string; window_seconds: string };

// X-Rate-Limit-Type is whatever the upstream (or a proxy) sends: one label value per type it
// invents would be a new series each.
const LIMIT_TYPES: ReadonlySet<string> = new Set(['application', 'method', 'service']);
const limitTypeLabel = (type: string | undefined) =>
  type === undefined ? 'service' : LIMIT_TYPES.has(type) ? type : 'other';

/** Every app and method window of every routing value, as the limiter sees it now. */
function windowsOf(usage: RoutingUsage[]) {
  return usage.flatMap((u) =>
    [['app', u.app] as const, ...Object.entries(u.methods)].flatMap(([scope, windows]) =>
      windows.map((w) => ({
        labels: { routing: u.routing, scope, window_seconds: String(w.windowSeconds) },
        window: w,
      })),
    ),
  );
}

/**
 * Riot API traffic, fed by the client's onRequest hook (each HTTP attempt), and the limiter's
 * windows, read when Prometheus scrapes.
 */
export function createRiotMetrics(registry: Registry) {
  const registers = [registry];
  let limiter: Pick<RateLimiter, 'usage'> | null = null;
  const requests = new Counter({
    name: 'riftwatch_riot_requests_total',
    help: 'Riot API HTTP attempts by routing value, method and status (none: no answer)',
    labelNames: ['routing', 'method', 'status'] as const,
    registers,
  });
  const rateLimited = new Counter({
    name: 'riftwatch_riot_rate_limited_total',
    help: 'Riot API 429 answers by routing value and limit type (application, method, service, other)',
    labelNames: ['routing', 'limit_type'] as const,
    registers,
  });
  const queueWait = new Histogram({
    name: 'riftwatch_riot_queue_wait_seconds',
    help: 'Time a Riot request waited for a rate-limit slot',
    labelNames: ['routing'] as const,
    buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120],
    registers,
  });
  const windowGauge = (name: string, help: string, value: (w: RoutingUsage['app'][0]) => number) =>
    new Gauge<keyof WindowLabels>({
      name,
      help,
      labelNames: ['routing', 'scope', 'window_seconds'],
      registers,
      collect() {
        this.reset();
        for (const { labels, window } of windowsOf(limiter?.usage() ?? [])) {
          this.set(labels, value(window));
        }
      },
    });
  windowGauge(
    'riftwatch_riot_rate_limit_used',
    'Requests counted in a rate-limit window (scope: app or the method)',
    (w) => w.used,
  );
  windowGauge(
    'riftwatch_riot_rate_limit_limit',
    'Requests a rate-limit window allows',
    (w) => w.limit,
  );
  windowGauge(
    'riftwatch_riot_rate_limit_usage_ratio',
    'Share of a rate-limit window used (0..1)',
    (w) => (w.limit > 0 ? w.used / w.limit : 0),
  );
  new Gauge({
    name: 'riftwatch_riot_queued_requests',
    help: 'Riot requests waiting for a rate-limit slot, by routing value',
    labelNames: ['routing'] as const,
    registers,
    collect() {
      this.reset();
      for (const u of limiter?.usage() ?? []) this.set({ routing: u.routing }, u.queued);
    },
  });

  return {
    /** The Riot client's onRequest hook. */
    onRequest(info: RiotRequestInfo): void {
      const status = info.status === null ? 'none' : String(info.status);
      requests.inc({ routing: info.routing, method: info.method, status });
      queueWait.observe({ routing: info.routing }, info.queuedMs / 1000);
      if (info.status === 429) {
        rateLimited.inc({ routing: info.routing, limit_type: limitTypeLabel(info.limitType) });
      }
    },
    /** The limiter whose windows the gauges report. */
    observeLimiter(next: Pick<RateLimiter, 'usage'>): void {
      limiter = next;
    },
  };
}
