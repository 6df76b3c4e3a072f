import type { Logger } from '../logger.ts';
import { abortReason, type Clock, systemClock } from './clock.ts';
import type { RateLimitType } from './errors.ts';
import {
  type CountWindow,
  DEV_KEY_APP_LIMITS,
  type HeaderSource,
  type LimitWindow,
  readRateLimitHeaders,
} from './rate-limit-headers.ts';
import {
  type RoutingUsage,
  type UsageListener,
  usageOf,
  warnNearCapacity,
} from './rate-limiter-usage.ts';
import { RequestLog, type Reservation } from './request-log.ts';

export const PRIORITIES = ['interactive', 'background'] as const;
export type Priority = (typeof PRIORITIES)[number];

export type RateLimiterOptions = {
  clock?: Clock;
  logger?: Logger;
  /** App limits assumed before a routing value's first answer (default: the dev key's). */
  defaultAppLimits?: readonly LimitWindow[];
  /** Real seconds → clock ms factor; 0.01 makes Riot's 120 s window last 1.2 s (benchmarks). */
  timeScale?: number;
  /** Added to every window after a response, against timer and clock granularity (real ms). */
  marginMs?: number;
  /** Added to Retry-After (real ms). */
  retryAfterMarginMs?: number;
  /** Wait after a 429 without Retry-After (real ms): application/method/service, then unknown types. */
  fallbackRetryAfterMs?: number;
  fallbackUnknownRetryAfterMs?: number;
};

export type AcquireRequest = {
  routing: string;
  method: string;
  priority?: Priority;
  signal?: AbortSignal;
};

export type RateLimitVerdict = { retryAfterMs: number; limitType: RateLimitType };

export type Permit = {
  /** Time spent queued before the slot was granted (clock ms). */
  readonly queuedMs: number;
  /** Report the outcome: `status` null when no HTTP answer came back. Returns the 429 verdict, if any. */
  complete(status: number | null, headers?: HeaderSource): RateLimitVerdict | null;
};

type Scope = {
  windows: LimitWindow[] | null;
  log: RequestLog;
  blockedUntil: number;
};

type Waiter = {
  method: string;
  rank: number;
  seq: number;
  enqueuedAt: number;
  grant: (permit: Permit) => void;
};

type Bucket = {
  routing: string;
  app: Scope;
  methods: Map<string, Scope>;
  queue: Waiter[];
  wakeAt: number;
  cancelWake: (() => void) | null;
};

export type RateLimiter = ReturnType<typeof createRateLimiter>;

/** One per process: every Riot call of every job and request goes through it. */
export function createRateLimiter(options: RateLimiterOptions = {}) {
  const clock = options.clock ?? systemClock;
  const scale = options.timeScale ?? 1;
  const marginMs = (options.marginMs ?? 50) * scale;
  const retryMarginMs = (options.retryAfterMarginMs ?? 250) * scale;
  const fallbackMs = (options.fallbackRetryAfterMs ?? 1_000) * scale;
  const fallbackUnknownMs = (options.fallbackUnknownRetryAfterMs ?? 5_000) * scale;
  const logger = options.logger;
  const buckets = new Map<string, Bucket>();
  const listeners = new Set<UsageListener>();
  const lastWarned = new Map<string, number>();
  // Limits are per key, so what one routing value taught us is the best guess for a new one.
  let learnedAppLimits: LimitWindow[] | null = null;
  let seq = 0;

  const windowMs = (w: LimitWindow) => w.windowSeconds * 1000 * scale;

  function bucketFor(routing: string): Bucket {
    let bucket = buckets.get(routing);
    if (!bucket) {
      const windows = [...(learnedAppLimits ?? options.defaultAppLimits ?? DEV_KEY_APP_LIMITS)];
      bucket = {
        routing,
        app: { windows, log: new RequestLog(), blockedUntil: 0 },
        methods: new Map(),
        queue: [],
        wakeAt: Number.POSITIVE_INFINITY,
        cancelWake: null,
      };
      buckets.set(routing, bucket);
    }
    return bucket;
  }

  function methodScope(bucket: Bucket, method: string): Scope {
    let scope = bucket.methods.get(method);
    if (!scope) {
      scope = { windows: null, log: new RequestLog(), blockedUntil: 0 };
      bucket.methods.set(method, scope);
    }
    return scope;
  }

  function freeAt(scope: Scope, now: number): number {
    let at = Math.max(now, scope.blockedUntil);
    // Method limits are unknown until the first answer: probe with one request at a time.
    if (scope.windows === null) return scope.log.pending() > 0 ? Number.POSITIVE_INFINITY : at;
    for (const w of scope.windows)
      at = Math.max(at, scope.log.freeAt(w.limit, windowMs(w), marginMs, now));
    return at;
  }

  function pump(bucket: Bucket): void {
    const now = clock.now();
    let wake = Number.POSITIVE_INFINITY;
    for (let i = 0; i < bucket.queue.length; ) {
      const appFree = freeAt(bucket.app, now);
      if (appFree > now) {
        wake = Math.min(wake, appFree);
        break;
      }
      const waiter = bucket.queue[i] as Waiter;
      const scope = methodScope(bucket, waiter.method);
      const methodFree = freeAt(scope, now);
      if (methodFree > now) {
        wake = Math.min(wake, methodFree);
        i++;
        continue;
      }
      bucket.queue.splice(i, 1);
      const reservations = [bucket.app.log.reserve(now), scope.log.reserve(now)];
      waiter.grant(makePermit(bucket, waiter, reservations, now - waiter.enqueuedAt));
      warnNearCapacity(logger, lastWarned, bucket, now, scale, marginMs);
    }
    schedule(bucket, wake);
    emit(bucket);
  }

  function schedule(bucket: Bucket, at: number): void {
    if (at === bucket.wakeAt) return;
    bucket.cancelWake?.();
    bucket.cancelWake = null;
    bucket.wakeAt = at;
    if (at === Number.POSITIVE_INFINITY) return;
    bucket.cancelWake = clock.setTimeout(() => {
      bucket.cancelWake = null;
      bucket.wakeAt = Number.POSITIVE_INFINITY;
      pump(bucket);
    }, at - clock.now());
  }

  // Riot counted this request's window at its arrival, which was after `sentAt`: everything it can
  // have counted is still in our log as of `sentAt`, so only a surplus over that is unknown to us.
  function reconcile(
    scope: Scope,
    counts: CountWindow[] | null,
    sentAt: number,
    now: number,
  ): void {
    if (!counts || !scope.windows) return;
    for (const c of counts) {
      const known = scope.log.count(c.windowSeconds * 1000 * scale, marginMs, sentAt);
      if (c.count > known) scope.log.addPhantom(now, c.count - known);
    }
  }

  function makePermit(
    bucket: Bucket,
    waiter: Waiter,
    reservations: Reservation[],
    queuedMs: number,
  ): Permit {
    let done = false;
    return {
      queuedMs,
      complete(status, headers) {
        if (done) return null;
        done = true;
        const now = clock.now();
        for (const r of reservations) r.doneAt = now;
        const scope = methodScope(bucket, waiter.method);
        let verdict: RateLimitVerdict | null = null;
        if (headers) {
          const parsed = readRateLimitHeaders(headers);
          if (parsed.app) {
            bucket.app.windows = parsed.app;
            learnedAppLimits = parsed.app;
          }
          if (parsed.method) scope.windows = parsed.method;
          // A success with app limits but no method limits: the edge sets none for this method.
          // (A 429 or an error may lack them although the method has limits.)
          else if (parsed.app && scope.windows === null && status !== null && status < 300)
            scope.windows = [];
          const sentAt = reservations[0]?.sentAt ?? now;
          reconcile(bucket.app, parsed.appCount, sentAt, now);
          reconcile(scope, parsed.methodCount, sentAt, now);
          if (status === 429) verdict = onTooMany(bucket, scope, waiter.method, parsed, now);
        } else if (status === 429) {
          verdict = onTooMany(bucket, scope, waiter.method, null, now);
        }
        const longest = Math.max(0, ...(bucket.app.windows ?? []).map(windowMs));
        bucket.app.log.prune(longest, marginMs, now);
        scope.log.prune(Math.max(longest, ...(scope.windows ?? []).map(windowMs)), marginMs, now);
        pump(bucket);
        return verdict;
      },
    };
  }

  function onTooMany(
    bucket: Bucket,
    scope: Scope,
    method: string,
    parsed: ReturnType<typeof readRateLimitHeaders> | null,
    now: number,
  ): RateLimitVerdict {
    // Riot: no X-Rate-Limit-Type means the underlying service refused, not the edge.
    const limitType = parsed?.limitType ?? 'service';
    const known = limitType === 'application' || limitType === 'method' || limitType === 'service';
    const retryAfterMs =
      parsed?.retryAfterSeconds != null
        ? parsed.retryAfterSeconds * 1000 * scale + retryMarginMs
        : known
          ? fallbackMs
          : fallbackUnknownMs;
    // application and unknown types (e.g. `server`) stop the whole routing value; method and
    // service only that endpoint, so other endpoints keep their budget.
    const target = limitType === 'method' || limitType === 'service' ? scope : bucket.app;
    target.blockedUntil = Math.max(target.blockedUntil, now + retryAfterMs);
    logger?.warn(
      {
        routing: bucket.routing,
        method,
        limitType,
        retryAfterMs: Math.round(retryAfterMs / scale),
      },
      'Rate limit exceeded',
    );
    return { retryAfterMs, limitType };
  }

  function emit(bucket: Bucket): void {
    if (listeners.size === 0) return;
    const snapshot = usageOf(bucket, clock.now(), scale, marginMs);
    for (const listener of listeners) listener(snapshot);
  }

  return {
    /** Waits for a slot in every window of the routing value and method; resolves just before sending. */
    acquire(request: AcquireRequest): Promise<Permit> {
      const { signal } = request;
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      const bucket = bucketFor(request.routing);
      return new Promise<Permit>((resolve, reject) => {
        const rank = PRIORITIES.indexOf(request.priority ?? 'background');
        const waiter: Waiter = {
          method: request.method,
          rank,
          seq: seq++,
          enqueuedAt: clock.now(),
          grant: (permit) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(permit);
          },
        };
        const onAbort = () => {
          const index = bucket.queue.indexOf(waiter);
          if (index >= 0) bucket.queue.splice(index, 1);
          reject(abortReason(signal as AbortSignal));
          pump(bucket);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        const at = bucket.queue.findIndex((w) => w.rank > rank);
        bucket.queue.splice(at < 0 ? bucket.queue.length : at, 0, waiter);
        pump(bucket);
      });
    },
    /** Per routing value: every app and method window with its limit and current use. */
    usage(): RoutingUsage[] {
      const now = clock.now();
      return [...buckets.values()].map((b) => usageOf(b, now, scale, marginMs));
    },
    /** Called with a routing value's snapshot whenever its usage changes; returns unsubscribe. */
    onUsage(listener: UsageListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    timeScale: scale,
  };
}
