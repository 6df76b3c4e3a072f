export type EngineTimings = {
  /** Agenda's poll for due jobs (PostgreSQL also wakes it by NOTIFY). */
  processEveryMs: number;
  heartbeatMs: number;
  progressFlushMs: number;
  /** Full reconcile even without NOTIFY (a lost notification, a MongoDB-only change). */
  safetyPollMs: number;
  staleSweepMs: number;
  /** A worker whose liveness lock is free is gone once its heartbeats have been silent this long. */
  deadAfterMs: number;
  /** Added to JOB_TIMEOUT_SECONDS: Agenda's lock lifetime and the stale threshold. */
  lockMarginMs: number;
  /** How long an aborted handler (timeout, cancel, shutdown) may take to settle before its row is
   * ended anyway; below lockMarginMs, so Agenda's lock outlives it. */
  abandonGraceMs: number;
  /** How long stop() lets running executions finish before cancelling them. */
  drainMs: number;
  /** Retry delay of a queued run whose configuration is running elsewhere. */
  requeueMs: number;
  /** A pending row without an Agenda job is an orphan only once this old (its trigger may still
   * be queueing it). */
  orphanGraceMs: number;
};

export const DEFAULT_TIMINGS: EngineTimings = {
  processEveryMs: 1000,
  heartbeatMs: 2000,
  progressFlushMs: 500,
  safetyPollMs: 30_000,
  staleSweepMs: 15_000,
  deadAfterMs: 10_000,
  lockMarginMs: 30_000,
  drainMs: 10_000,
  abandonGraceMs: 10_000,
  requeueMs: 2000,
  orphanGraceMs: 5000,
};
