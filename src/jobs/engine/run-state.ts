import type { RiftwatchPubSub } from '../../events/pubsub.ts';
import type { Logger } from '../../logger.ts';
import { coerceError } from './errors.ts';
import type { ExecutionSnapshot } from './execution-rows.ts';
import type { CounterName, Counters, JobType, ProgressUpdate } from './types.ts';

/** `execution_log` keeps the first entries only: a run failing on every item must not bloat the row. */
const MAX_LOG_ENTRIES = 200;

export type RunIdentity = { executionId: number; jobConfigId: number; jobType: JobType };

type RunState = {
  counters: Readonly<Counters>;
  progress(update: ProgressUpdate): void;
  count(counter: CounterName, by?: number): void;
  itemFailed(item: string, error: unknown): void;
  /** Everything not yet written, marking it written. */
  takeSnapshot(): ExecutionSnapshot;
  /** Stops the throttle and waits for a write in flight; the final write takes the last snapshot. */
  close(): Promise<void>;
};

/**
 * Counters, progress and per-item failures of one run. Changes are written at most once per
 * `flushMs` (a trailing write, never two at once) so counters are visible while the job runs;
 * every progress update is published to subscribers at once.
 */
export function createRunState(options: {
  identity: RunIdentity;
  flushMs: number;
  write(snapshot: ExecutionSnapshot): Promise<void>;
  pubsub: RiftwatchPubSub;
  logger: Logger;
}): RunState {
  const { identity, pubsub, logger } = options;
  const counters: Counters = { apiRequestsMade: 0, recordsCreated: 0, recordsUpdated: 0 };
  let current: { phase: string; processed: number; total: number | null } | null = null;
  let dirty = false;
  let pendingLog: unknown[] = [];
  let logged = 0;
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  let closed = false;

  const snapshot = (): ExecutionSnapshot => {
    const taken = {
      counters: { ...counters },
      progress: current ? { ...current, ...counters, updatedAt: new Date().toISOString() } : null,
      newLogEntries: pendingLog,
    };
    pendingLog = [];
    dirty = false;
    return taken;
  };

  const flush = () => {
    timer = null;
    if (!dirty) return;
    const taken = snapshot();
    writing = writing
      .then(() => options.write(taken))
      .catch((error: unknown) => {
        logger.warn({ err: coerceError(error) }, 'Could not write execution progress');
        // The write did not happen: its log entries go back in front of those logged since,
        // for the next flush or, once closed, the final snapshot (close() awaits this).
        // Counters and progress are absolute, so the next snapshot carries them anyway.
        pendingLog = [...taken.newLogEntries, ...pendingLog];
        touch();
      });
  };

  const touch = () => {
    dirty = true;
    if (!timer && !closed) timer = setTimeout(flush, options.flushMs);
  };

  return {
    counters,
    progress(update) {
      // An abandoned handler may run on: its execution has ended, and so have its events.
      if (closed) return;
      current = {
        phase: update.phase,
        processed: update.processed ?? current?.processed ?? 0,
        total: update.total === undefined ? (current?.total ?? null) : update.total,
      };
      touch();
      pubsub.publish('jobProgress', {
        ...identity,
        ...current,
        ...counters,
        at: new Date().toISOString(),
      });
    },
    count(counter, by = 1) {
      counters[counter] += by;
      touch();
    },
    itemFailed(item, error) {
      const message = coerceError(error).message;
      logger.warn({ item, err: message }, 'Job item failed');
      logged += 1;
      if (logged <= MAX_LOG_ENTRIES) {
        pendingLog.push({ at: new Date().toISOString(), item, error: message });
      } else if (logged === MAX_LOG_ENTRIES + 1) {
        pendingLog.push({
          at: new Date().toISOString(),
          item: '…',
          error: 'further failures not logged',
        });
      }
      touch();
    },
    takeSnapshot: snapshot,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await writing;
    },
  };
}
