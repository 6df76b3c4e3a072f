/**
 * The classes of riftwatch's two-key advisory locks (`pg_advisory_lock(class, hashtext(key))`),
 * in one place so that no two uses share a class.
 */
export const LOCK_CLASS = {
  /** A job engine's liveness: held on its dedicated session for as long as it lives. */
  worker: 72_707_370,
  /** One player's rank refresh (a transaction lock). */
  rankRefresh: 72_707_371,
  /** A job configuration's handler, held by the process running it (jobs/engine/handler-locks.ts). */
  handler: 72_707_372,
} as const;
