import type { Logger } from '../logger.ts';
import type { BudgetStoreFactory, Settlement } from './budget-store.ts';
import { abortReason, type Clock, systemClock } from './clock.ts';
import { coveredBy, createFallbackHolds } from './fallback-holds.ts';
import { createLocalBudgetStore } from './local-budget-store.ts';
import {
  DEV_KEY_APP_LIMITS,
  type HeaderSource,
  type LimitWindow,
  readRateLimitHeaders,
} from './rate-limit-headers.ts';
import {
  blockScopeOf,
  type RateLimitVerdict,
  settlementOf,
  verdictOf,
} from './rate-limit-verdict.ts';
import { type RoutingUsage, type UsageListener, warnNearCapacity } from './rate-limiter-usage.ts';
import { createRoutingQueues, type RoutingQueue, type Waiter } from './routing-queues.ts';

export const PRIORITIES = ['interactive', 'background'] as const;
export type Priority = (typeof PRIORITIES)[number];

export type RateLimiterOptions = {
  clock?: Clock;
  logger?: Logger;
  /** App limits assumed before a routing value's first answer (default: the dev key's). */
  defaultAppLimits?: readonly LimitWindow[];
  /**
   * Riot time → clock time factor; 0.01 makes Riot's 120 s window last 1.2 s (benchmarks). The
   * margins and fallbacks below are Riot-time ms, scaled by it.
   */
  timeScale?: number;
  /** Added to every window after a response, against timer and clock granularity (Riot-time ms). */
  marginMs?: number;
  /** Added to Retry-After (Riot-time ms). */
  retryAfterMarginMs?: number;
  /**
   * Wait after a 429 without Retry-After (Riot-time ms): application/method/service, then unknown
   * types. It doubles for each further such 429 of the routing value's service until a success,
   * up to `maxFallbackRetryAfterMs`.
   */
  fallbackRetryAfterMs?: number;
  fallbackUnknownRetryAfterMs?: number;
  maxFallbackRetryAfterMs?: number;
  /** [0, 1) source spreading the waiters released after such a wait (default Math.random). */
  random?: () => number;
  /** Fraction of every limit (default and learned, app and method) to use, in (0, 1]. */
  budgetShare?: number;
  /** Where the sliding logs live: this process (default) or a store shared by processes. */
  budget?: BudgetStoreFactory;
  /** Wait before asking a failing budget store again (clock ms). */
  storeRetryMs?: number;
};

export type AcquireRequest = {
  routing: string;
  method: string;
  priority?: Priority;
  signal?: AbortSignal;
};

export type Permit = {
  /** Time spent queued before the slot was granted (clock ms). */
  readonly queuedMs: number;
  /** Report the outcome: `status` null when no HTTP answer came back. Returns the 429 verdict, if any. */
  complete(status: number | null, headers?: HeaderSource): RateLimitVerdict | null;
};

export type RateLimiter = ReturnType<typeof createRateLimiter>;

/** One per process: every Riot call of every job and request goes through it. */
export function createRateLimiter(options: RateLimiterOptions = {}) {
  const clock = options.clock ?? systemClock;
  const scale = options.timeScale ?? 1;
  const marginMs = (options.marginMs ?? 50) * scale;
  const timing = {
    scale,
    retryAfterMarginMs: (options.retryAfterMarginMs ?? 250) * scale,
    fallbackMs: (options.fallbackRetryAfterMs ?? 1_000) * scale,
    fallbackUnknownMs: (options.fallbackUnknownRetryAfterMs ?? 5_000) * scale,
  };
  const holds = createFallbackHolds({
    clock,
    random: options.random ?? Math.random,
    maxMs: (options.maxFallbackRetryAfterMs ?? 60_000) * scale,
  });
  const logger = options.logger;
  const store = (options.budget ?? createLocalBudgetStore)({
    clock,
    scale,
    marginMs,
    defaultAppLimits: options.defaultAppLimits ?? DEV_KEY_APP_LIMITS,
    share: options.budgetShare ?? 1,
  });
  const listeners = new Set<UsageListener>();
  const lastWarned = new Map<string, number>();
  const storeFailed = (error: unknown) =>
    logger?.warn({ err: error }, 'Rate limiter budget store failed; waiting before retrying');
  const queues = createRoutingQueues({
    store,
    clock,
    storeRetryMs: options.storeRetryMs ?? 1_000,
    onGranted: (queue) => warnNearCapacity(logger, lastWarned, usageOf(queue), clock.now(), scale),
    onPassEnd: emit,
    onStoreError: storeFailed,
  });

  function usageOf(queue: RoutingQueue): RoutingUsage {
    const usage = store.usage(queue.routing);
    return { routing: queue.routing, ...usage, queued: queue.waiters.length };
  }

  function emit(queue: RoutingQueue): void {
    if (listeners.size === 0) return;
    const snapshot = usageOf(queue);
    for (const listener of listeners) listener(snapshot);
  }

  function settle(queue: RoutingQueue, ticket: unknown, settlement: Settlement): void {
    const settled = store.settle(ticket, settlement);
    if (settled instanceof Promise) settled.catch(storeFailed).finally(() => queues.pump(queue));
    else queues.pump(queue);
  }

  // A 429 without Retry-After: the wait is ours to choose, and so is when the held waiters go.
  function guessWait(
    queue: RoutingQueue,
    method: string,
    sentAt: number,
    verdict: RateLimitVerdict,
  ) {
    verdict.retryAfterMs = holds.waitFor(queue.routing, method, sentAt, verdict.retryAfterMs);
    const covers = coveredBy(blockScopeOf(verdict.limitType), method);
    holds.hold(queue.routing, covers, verdict.retryAfterMs);
    for (const w of queue.waiters) {
      if (covers(w.method)) w.readyAt = Math.max(w.readyAt, holds.readyAt(queue.routing, w.method));
    }
  }

  function makePermit(
    queue: RoutingQueue,
    method: string,
    ticket: unknown,
    queuedMs: number,
  ): Permit {
    let done = false;
    const grantedAt = clock.now();
    return {
      queuedMs,
      complete(status, headers) {
        if (done) return null;
        done = true;
        const parsed = headers ? readRateLimitHeaders(headers) : null;
        const verdict = status === 429 ? verdictOf(parsed, timing) : null;
        if (status !== null && status >= 200 && status < 300)
          holds.succeeded(queue.routing, method);
        if (verdict && parsed?.retryAfterSeconds == null)
          guessWait(queue, method, grantedAt, verdict);
        const settlement = settlementOf(status, parsed, verdict);
        if (verdict) {
          const { limitType, retryAfterMs } = verdict;
          const waitMs = Math.round(retryAfterMs / scale);
          logger?.warn(
            { routing: queue.routing, method, limitType, retryAfterMs: waitMs },
            'Rate limit exceeded',
          );
        }
        settle(queue, ticket, settlement);
        return verdict;
      },
    };
  }

  return {
    /** Waits for a slot in every window of the routing value and method; resolves just before sending. */
    acquire(request: AcquireRequest): Promise<Permit> {
      const { signal, method } = request;
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      const queue = queues.queueFor(request.routing);
      return new Promise<Permit>((resolve, reject) => {
        const enqueuedAt = clock.now();
        const waiter: Waiter = {
          method,
          rank: PRIORITIES.indexOf(request.priority ?? 'background'),
          readyAt: holds.readyAt(request.routing, method),
          grant: (ticket) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(makePermit(queue, method, ticket, clock.now() - enqueuedAt));
          },
        };
        const onAbort = () => {
          reject(abortReason(signal as AbortSignal));
          queues.remove(queue, waiter);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queues.enqueue(queue, waiter);
      });
    },
    /**
     * Per routing value: every app and method window with its limit and current use (with a shared
     * budget: the use by all processes as of this one's latest call to the store).
     */
    usage(): RoutingUsage[] {
      return queues.all().map(usageOf);
    },
    /** Called with a routing value's snapshot whenever its usage changes; returns unsubscribe. */
    onUsage(listener: UsageListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    timeScale: scale,
  };
}
