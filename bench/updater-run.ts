/** Helpers for bench/updater.ts: updater runs outside the job engine. */
import type { PrismaClient } from '../src/db/prisma.ts';
import { createEventBus } from '../src/events/pubsub.ts';
import type { JobContext } from '../src/jobs/engine/index.ts';
import { NothingDoneError } from '../src/jobs/item-failure.ts';
import { silentLogger } from '../src/logger.ts';
import { trackedPlayerUpdater, trackedPlayerUpdaterConfig } from '../src/players/updater-job.ts';
import type { RiotClient } from '../src/riot/client.ts';

export type RunOutcome = {
  /** Stopped before the timeout, the rest left for the next run (a failed run may be too). */
  stopped: boolean;
  /** Players that failed (execution_log). */
  failures: number;
  phase: string;
  /**
   * The run got nothing done (NothingDoneError: no player updated, no match stored): the engine
   * records it `failed`, and the next run resumes the work. Any other error is thrown.
   */
  failed: string | null;
};

/**
 * One updater run as the engine would make it: its timeout (JOB_TIMEOUT_SECONDS, scaled like the
 * rate limits), the deadline, a background-priority client whose requests are counted.
 */
export async function runUpdater(
  prisma: PrismaClient,
  riot: RiotClient,
  timeoutMs: number,
  config: Record<string, unknown> = {},
): Promise<RunOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('job timeout')), timeoutMs);
  let phase = '';
  let failures = 0;
  const ctx: JobContext = {
    executionId: 0,
    jobConfigId: 0,
    jobType: 'tracked_player_updater',
    trigger: 'manual',
    logger: silentLogger(),
    signal: controller.signal,
    deadline: Date.now() + timeoutMs,
    prisma,
    pubsub: createEventBus({ logger: silentLogger() }).pubsub,
    riot: riot.scoped({ priority: 'background', signal: controller.signal }),
    progress: (update) => {
      phase = update.phase;
    },
    count: () => {},
    itemFailed: () => {
      failures += 1;
    },
  };
  let failed: string | null = null;
  try {
    await trackedPlayerUpdater.handler(trackedPlayerUpdaterConfig.parse(config), ctx);
  } catch (error) {
    // A failed run, not a broken benchmark: what it did (nothing) is committed and the players it
    // left are still due. Anything else (the timeout, a rejected key, a 429 past the retries)
    // means the benchmark's settings or the code are wrong: thrown.
    if (!(error instanceof NothingDoneError)) throw error;
    failed = error.message;
  } finally {
    clearTimeout(timer);
  }
  return { stopped: phase.startsWith('stopped'), failures, phase, failed };
}

/** Tracked players with listed games still to store. */
export async function backlog(prisma: PrismaClient): Promise<number> {
  const [row] = await prisma.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM players WHERE is_tracked AND cardinality(pending_match_ids) > 0`;
  return row?.n ?? 0;
}

export async function storedMatches(prisma: PrismaClient): Promise<number> {
  const [row] = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM matches`;
  return row?.n ?? 0;
}
