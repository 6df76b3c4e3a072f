import { type BudgetStore, NOTHING_LEARNED, type ReserveResult } from './budget-store.ts';
import type { Clock } from './clock.ts';

export type Waiter = {
  method: string;
  /** Index in PRIORITIES: lower goes first. */
  rank: number;
  grant: (ticket: unknown) => void;
};

export type Bucket = {
  routing: string;
  queue: Waiter[];
  wakeAt: number;
  cancelWake: (() => void) | null;
  /** A pass over the queue is waiting for the store; `again`: look once more when it ends. */
  busy: boolean;
  again: boolean;
};

export type RoutingQueuesOptions = {
  store: BudgetStore;
  clock: Clock;
  /** Wait before asking a failing store again (clock ms). */
  storeRetryMs: number;
  onGranted(bucket: Bucket): void;
  onPassEnd(bucket: Bucket): void;
  onStoreError(error: unknown): void;
};

/** The waiters of each routing value, granted as the budget store lets them through. */
export function createRoutingQueues(options: RoutingQueuesOptions) {
  const { store, clock } = options;
  const buckets = new Map<string, Bucket>();

  function bucketFor(routing: string): Bucket {
    let bucket = buckets.get(routing);
    if (!bucket) {
      const wakeAt = Number.POSITIVE_INFINITY;
      bucket = { routing, queue: [], wakeAt, cancelWake: null, busy: false, again: false };
      buckets.set(routing, bucket);
    }
    return bucket;
  }

  /** Puts a waiter after those of its priority and before lower ones, then looks for a slot. */
  function enqueue(bucket: Bucket, waiter: Waiter): void {
    const at = bucket.queue.findIndex((w) => w.rank > waiter.rank);
    bucket.queue.splice(at < 0 ? bucket.queue.length : at, 0, waiter);
    pump(bucket);
  }

  function remove(bucket: Bucket, waiter: Waiter): void {
    const index = bucket.queue.indexOf(waiter);
    if (index >= 0) bucket.queue.splice(index, 1);
    pump(bucket);
  }

  // Grants in queue order; a waiter whose method is full is passed over so other methods keep
  // flowing, but a full app window stops the routing value. A synchronous store grants within
  // the call; an asynchronous one asks for one waiter at a time.
  function pump(bucket: Bucket): void {
    if (bucket.busy) {
      bucket.again = true;
      return;
    }
    bucket.busy = true;
    bucket.again = false;
    let wake = Number.POSITIVE_INFINITY;
    const fullMethods = new Set<string>();
    const finish = () => {
      bucket.busy = false;
      schedule(bucket, wake);
      options.onPassEnd(bucket);
      if (bucket.again) pump(bucket);
    };
    // false: the app window is full, this pass is over.
    const apply = (waiter: Waiter, result: ReserveResult<unknown>): boolean => {
      if (!result.granted) {
        wake = Math.min(wake, clock.now() + result.waitMs);
        fullMethods.add(waiter.method);
        return result.scope === 'method';
      }
      const index = bucket.queue.indexOf(waiter);
      if (index < 0) {
        // Aborted while the store answered: nothing is sent, and closing the reservation keeps
        // it from holding the budget as a pending request.
        Promise.resolve(store.settle(result.ticket, NOTHING_LEARNED)).catch(options.onStoreError);
      } else {
        bucket.queue.splice(index, 1);
        waiter.grant(result.ticket);
        options.onGranted(bucket);
      }
      return true;
    };
    const step = (): void => {
      for (;;) {
        const waiter = bucket.queue.find((w) => !fullMethods.has(w.method));
        if (!waiter) break;
        const result = store.reserve(bucket.routing, waiter.method);
        if (result instanceof Promise) {
          result.then(
            (r) => (apply(waiter, r) ? step() : finish()),
            (error: unknown) => {
              options.onStoreError(error);
              wake = Math.min(wake, clock.now() + options.storeRetryMs);
              finish();
            },
          );
          return;
        }
        if (!apply(waiter, result)) break;
      }
      finish();
    };
    step();
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

  return { bucketFor, enqueue, remove, pump, buckets: () => [...buckets.values()] };
}
