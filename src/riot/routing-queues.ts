import { type BudgetStore, NOTHING_LEARNED, type ReserveResult } from './budget-store.ts';
import type { Clock } from './clock.ts';

export type Waiter = {
  method: string;
  /** Index in PRIORITIES: lower goes first. */
  rank: number;
  /** Not asked for before this clock time (spreads the release after a 429). */
  readyAt: number;
  grant: (ticket: unknown) => void;
};

/** A routing value's waiters, in grant order. */
export type RoutingQueue = {
  routing: string;
  waiters: Waiter[];
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
  onGranted(queue: RoutingQueue): void;
  onPassEnd(queue: RoutingQueue): void;
  onStoreError(error: unknown): void;
};

/** The waiters of each routing value, granted as the budget store lets them through. */
export function createRoutingQueues(options: RoutingQueuesOptions) {
  const { store, clock } = options;
  const queues = new Map<string, RoutingQueue>();

  function queueFor(routing: string): RoutingQueue {
    let queue = queues.get(routing);
    if (!queue) {
      const wakeAt = Number.POSITIVE_INFINITY;
      queue = { routing, waiters: [], wakeAt, cancelWake: null, busy: false, again: false };
      queues.set(routing, queue);
    }
    return queue;
  }

  /** Puts a waiter after those of its priority and before lower ones, then looks for a slot. */
  function enqueue(queue: RoutingQueue, waiter: Waiter): void {
    const at = queue.waiters.findIndex((w) => w.rank > waiter.rank);
    queue.waiters.splice(at < 0 ? queue.waiters.length : at, 0, waiter);
    pump(queue);
  }

  function remove(queue: RoutingQueue, waiter: Waiter): void {
    const index = queue.waiters.indexOf(waiter);
    if (index >= 0) queue.waiters.splice(index, 1);
    pump(queue);
  }

  // Grants in queue order; a waiter whose method is full is passed over so other methods keep
  // flowing, but a full app window stops the routing value. A synchronous store grants within
  // the call; an asynchronous one asks for one waiter at a time.
  function pump(queue: RoutingQueue): void {
    if (queue.busy) {
      queue.again = true;
      return;
    }
    queue.busy = true;
    queue.again = false;
    let wake = Number.POSITIVE_INFINITY;
    const fullMethods = new Set<string>();
    const finish = () => {
      queue.busy = false;
      for (const w of queue.waiters) if (w.readyAt > clock.now()) wake = Math.min(wake, w.readyAt);
      schedule(queue, wake);
      options.onPassEnd(queue);
      if (queue.again) pump(queue);
    };
    // false: the app window is full, this pass is over.
    const apply = (waiter: Waiter, result: ReserveResult<unknown>): boolean => {
      if (!result.granted) {
        wake = Math.min(wake, clock.now() + result.waitMs);
        fullMethods.add(waiter.method);
        return result.scope === 'method';
      }
      const index = queue.waiters.indexOf(waiter);
      if (index < 0) {
        // Aborted while the store answered: nothing is sent, and closing the reservation keeps
        // it from holding the budget as a pending request.
        Promise.resolve(store.settle(result.ticket, NOTHING_LEARNED)).catch(options.onStoreError);
      } else {
        queue.waiters.splice(index, 1);
        waiter.grant(result.ticket);
        options.onGranted(queue);
      }
      return true;
    };
    const step = (): void => {
      for (;;) {
        const now = clock.now();
        const waiter = queue.waiters.find((w) => !fullMethods.has(w.method) && w.readyAt <= now);
        if (!waiter) break;
        const result = store.reserve(queue.routing, waiter.method);
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

  function schedule(queue: RoutingQueue, at: number): void {
    if (at === queue.wakeAt) return;
    queue.cancelWake?.();
    queue.cancelWake = null;
    queue.wakeAt = at;
    if (at === Number.POSITIVE_INFINITY) return;
    queue.cancelWake = clock.setTimeout(() => {
      queue.cancelWake = null;
      queue.wakeAt = Number.POSITIVE_INFINITY;
      pump(queue);
    }, at - clock.now());
  }

  return { queueFor, enqueue, remove, pump, all: () => [...queues.values()] };
}
