import type { Clock } from './clock.ts';
import type { CountWindow, LimitWindow } from './rate-limit-headers.ts';
import type { WindowUsage } from './rate-limiter-usage.ts';

/** The limiter's sliding logs and 429 blocks: in this process, or shared between processes. */

export type MaybePromise<T> = T | Promise<T>;

/** The routing value's app windows, or one method's windows. */
export type BudgetScope = 'app' | 'method';

export type ReserveResult<T> =
  | { granted: true; ticket: T }
  /** `waitMs` from now until one more may fit; Infinity: a pending request must answer first. */
  | { granted: false; scope: BudgetScope; waitMs: number };

/** What an answer taught, recorded with the request's completion. */
export type Settlement = {
  app: LimitWindow[] | null;
  /** 'none': a success with app limits but no method limits (the method has none). */
  method: LimitWindow[] | 'none' | null;
  appCount: CountWindow[] | null;
  methodCount: CountWindow[] | null;
  /** A 429: hold back the whole routing value (app), every method of the service, or one method for `ms`. */
  block: { scope: BudgetScope | 'service'; ms: number } | null;
};

export const NOTHING_LEARNED: Settlement = {
  app: null,
  method: null,
  appCount: null,
  methodCount: null,
  block: null,
};

export type BudgetUsage = {
  app: WindowUsage[];
  methods: Record<string, WindowUsage[]>;
  /** Remaining wait imposed by a 429 on the whole routing value (clock ms), 0 when none. */
  blockedForMs: number;
};

/**
 * Synchronous in this process (so grants keep their order within a tick), asynchronous when
 * shared. Both check the app scope first, then the method scope (with its service's block), and
 * reserve in both at once.
 */
export interface BudgetStore<T = unknown> {
  reserve(routing: string, method: string): MaybePromise<ReserveResult<T>>;
  /** The request is over (answered or not): it now leaves its windows after their length. */
  settle(ticket: T, settlement: Settlement): MaybePromise<void>;
  usage(routing: string): BudgetUsage;
}

export type BudgetContext = {
  clock: Clock;
  /** Riot time → clock time factor (the limiter's timeScale). */
  scale: number;
  /** Clock ms added to every window after a response. */
  marginMs: number;
  defaultAppLimits: readonly LimitWindow[];
  /** Fraction of every limit to use, in (0, 1]. */
  share: number;
};

export type BudgetStoreFactory = (context: BudgetContext) => BudgetStore;

/** The part of a limit this process uses: `share` of it, never less than one request. */
export const shareOfLimit = (limit: number, share: number) =>
  Math.max(1, Math.floor(limit * share));

export function shareOf(windows: readonly LimitWindow[], share: number): LimitWindow[] {
  return windows.map((w) => ({ ...w, limit: shareOfLimit(w.limit, share) }));
}

/**
 * Requests Riot may count beyond ours in a window without anything being amiss: the part of the
 * limit the share leaves to others (other processes or tools). Only a surplus over that is unknown.
 */
export function allowanceOf(raw: readonly LimitWindow[] | null, seconds: number, share: number) {
  const window = raw?.find((w) => w.windowSeconds === seconds);
  return window ? window.limit - shareOfLimit(window.limit, share) : 0;
}
