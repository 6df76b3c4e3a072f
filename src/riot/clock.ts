/** Time as the limiter and the client see it; tests inject a manual clock. */
export interface Clock {
  /** Milliseconds on a monotonic scale (not an epoch). */
  now(): number;
  /** Calls `fn` after `ms`; returns a function that cancels it. */
  setTimeout(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => {
    const timer = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(timer);
  },
};

export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** Resolves after `ms` on `clock`; rejects with the signal's reason when it aborts first. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      cancel();
      reject(abortReason(signal as AbortSignal));
    };
    const cancel = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export type ManualClock = Clock & {
  /** Moves time forward, firing due timers in order and letting promise chains settle between them. */
  advance(ms: number): Promise<void>;
  pendingTimers(): number;
};

export function createManualClock(start = 0): ManualClock {
  let current = start;
  let nextId = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => current,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: current + Math.max(0, ms), fn });
      return () => timers.delete(id);
    },
    pendingTimers: () => timers.size,
    async advance(ms) {
      const target = current + ms;
      await settle();
      for (;;) {
        let dueId: number | undefined;
        let due: { at: number; fn: () => void } | undefined;
        for (const [id, timer] of timers) {
          if (timer.at <= target && (due === undefined || timer.at < due.at)) {
            dueId = id;
            due = timer;
          }
        }
        if (due === undefined || dueId === undefined) break;
        timers.delete(dueId);
        current = Math.max(current, due.at);
        due.fn();
        await settle();
      }
      current = target;
      await settle();
    },
  };
}
