/** Thrown into the run's Riot requests when the run stops to leave the rest for the next one. */
class StopBeforeTimeout extends Error {
  override readonly name = 'StopBeforeTimeout';
}

export type SoftDeadline = {
  /** Epoch ms after which no new work starts. */
  stopAt: number;
  /** Aborts at `stopAt` (or with the run's signal): requests still queued then are given up. */
  signal: AbortSignal;
  reached(): boolean;
  dispose(): void;
};

/**
 * A stop point a safety margin before the run's timeout: 10 % of the time the run has, at least
 * 1 s, at most 10 s. A request waiting in the rate limiter's queue past it is dropped unsent, so
 * a run the budget cannot finish ends cleanly instead of being failed by the timeout.
 */
export function softDeadline(deadline: number, runSignal: AbortSignal): SoftDeadline {
  const now = Date.now();
  const margin = Math.min(10_000, Math.max(1_000, (deadline - now) * 0.1));
  const stopAt = deadline - margin;
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new StopBeforeTimeout('Stopped before the job timeout')),
    Math.max(0, stopAt - now),
  );
  return {
    stopAt,
    signal: AbortSignal.any([runSignal, controller.signal]),
    reached: () => controller.signal.aborted || Date.now() >= stopAt,
    dispose: () => clearTimeout(timer),
  };
}
