import type { PrismaClient } from '../../db/prisma.ts';
import type { RiftwatchPubSub } from '../../events/pubsub.ts';
import type { Logger } from '../../logger.ts';
import type { RiotClient } from '../../riot/client.ts';
import {
  coerceError,
  ExecutionEndedElsewhereError,
  JobShutdownError,
  JobTimeoutError,
} from './errors.ts';
import { finishExecution, heartbeat, holdsOwnEnd, writeSnapshot } from './execution-rows.ts';
import { createRunState } from './run-state.ts';
import { publishExecutionStatus } from './status-event.ts';
import type { ExecutionStatus, JobContext, JobDefinition, JobType, Trigger } from './types.ts';

export type RunnerDeps = {
  prisma: PrismaClient;
  pubsub: RiftwatchPubSub;
  logger: Logger;
  riot: RiotClient | undefined;
  workerId: string;
  timeoutSeconds: number;
  heartbeatMs: number;
  progressFlushMs: number;
  /** How long an aborted handler may take to settle before its row is ended anyway; also how
   * long the final write of a run is retried. */
  abandonGraceMs: number;
};

type ClaimedRun = {
  executionId: number;
  jobConfigId: number;
  jobType: JobType;
  trigger: Trigger;
  definition: JobDefinition;
  config: unknown;
};

export type RunOutcome = 'success' | 'failed' | 'cancelled' | 'ended_elsewhere';

/**
 * This process's handlers, by execution, until they settle (or are abandoned), so cancel and
 * shutdown can abort them. A run ended from outside (an operator, another process) is still here
 * while its handler winds down, so no new run of its configuration starts meanwhile.
 */
export type RunningSet = Map<number, { controller: AbortController; jobConfigId: number }>;

/** The configurations this process still has a handler running for. */
export const busyConfigs = (running: RunningSet): number[] =>
  [...running.values()].map((r) => r.jobConfigId);

/**
 * Runs one claimed (status `running`) execution to its end: `Job starting`, heartbeats, throttled
 * progress, the timeout, then `Job complete` or `Job failed` and the final row (its write retried
 * for up to `abandonGraceMs`). A handler that ignores its signal is abandoned `abandonGraceMs`
 * after the deadline: the row is failed then, not when it returns.
 */
export async function runExecution(deps: RunnerDeps, run: ClaimedRun, running: RunningSet) {
  const { prisma, pubsub, workerId } = deps;
  const identity = {
    executionId: run.executionId,
    jobConfigId: run.jobConfigId,
    jobType: run.jobType,
  };
  const logger = deps.logger.child({ job_type: run.jobType, execution_id: run.executionId });
  const controller = new AbortController();
  const { signal } = controller;
  running.set(run.executionId, { controller, jobConfigId: run.jobConfigId });
  const state = createRunState({
    identity,
    flushMs: deps.progressFlushMs,
    write: (snapshot) => writeSnapshot(prisma, run.executionId, snapshot),
    pubsub,
    logger,
  });
  const startedAt = Date.now();
  const timeout = setTimeout(
    () => controller.abort(new JobTimeoutError(deps.timeoutSeconds)),
    deps.timeoutSeconds * 1000,
  );
  const beat = setInterval(() => {
    heartbeat(prisma, run.executionId, workerId)
      .then((owned) => {
        if (!owned) controller.abort(new ExecutionEndedElsewhereError(run.executionId));
      })
      .catch((error: unknown) => logger.warn({ err: coerceError(error) }, 'Heartbeat failed'));
  }, deps.heartbeatMs);

  const ctx: JobContext = {
    ...identity,
    trigger: run.trigger,
    logger,
    signal,
    deadline: startedAt + deps.timeoutSeconds * 1000,
    prisma,
    pubsub,
    riot: scopedRiot(deps.riot, signal, () => state.count('apiRequestsMade')),
    progress: state.progress,
    count: state.count,
    itemFailed: state.itemFailed,
  };

  const publishStatus = (status: ExecutionStatus, errorMessage: string | null) =>
    publishExecutionStatus(pubsub, { ...identity, trigger: run.trigger }, status, errorMessage);

  logger.info(
    { job_config_id: run.jobConfigId, trigger: run.trigger, worker_id: workerId },
    'Job starting',
  );
  publishStatus('running', null);

  let outcome: RunOutcome;
  let errorMessage: string | null = null;
  const work = Promise.resolve().then(() => run.definition.handler(run.config, ctx));
  try {
    await raceAbort(work, signal);
    outcome = 'success';
  } catch (error) {
    const reason: unknown = signal.aborted ? signal.reason : error;
    if (reason instanceof ExecutionEndedElsewhereError) outcome = 'ended_elsewhere';
    else if (reason instanceof JobShutdownError) outcome = 'cancelled';
    else outcome = 'failed';
    errorMessage = coerceError(reason).message;
  } finally {
    clearTimeout(timeout);
    // The row stays running (heartbeats go on) while an aborted handler winds down, so the next
    // run of this configuration cannot start while this one still writes.
    if (signal.aborted && !(await settlesWithin(work, deps.abandonGraceMs))) {
      logger.error(
        { grace_ms: deps.abandonGraceMs },
        'Job handler did not stop within the grace period after its abort: abandoned while still running',
      );
    }
    running.delete(run.executionId);
    await state.close();
  }

  const snapshot = state.takeSnapshot();
  // False once the final write gave up: the row stays running, so no final status is published.
  let recorded = true;
  if (outcome === 'ended_elsewhere') {
    clearInterval(beat);
    await writeSnapshot(prisma, run.executionId, snapshot).catch((error: unknown) =>
      logger.warn({ err: coerceError(error) }, 'Could not write the final counters and log'),
    );
  } else {
    // Heartbeats go on until the end is recorded, so a retry is not overtaken by the stale sweep.
    const status = outcome;
    let attempts = 0;
    const finish = async () => {
      attempts++;
      if (await finishExecution(prisma, run.executionId, workerId, status, errorMessage, snapshot))
        return true;
      // A retry may find the row ended by its own earlier attempt, whose reply was lost.
      return attempts > 1 && holdsOwnEnd(prisma, run.executionId, workerId, status, errorMessage);
    };
    const owned = await retried(finish, deps.abandonGraceMs, (error) =>
      logger.warn({ err: coerceError(error) }, 'Could not record the end of the run yet'),
    ).finally(() => clearInterval(beat));
    if (owned === undefined) {
      recorded = false;
      logger.error(
        { status: outcome, retried_ms: deps.abandonGraceMs },
        'Could not record the end of the run: the stale sweep will fail it',
      );
    } else if (!owned) outcome = 'ended_elsewhere';
  }

  const fields = {
    job_config_id: run.jobConfigId,
    trigger: run.trigger,
    duration_ms: Date.now() - startedAt,
    api_requests_made: snapshot.counters.apiRequestsMade,
    records_created: snapshot.counters.recordsCreated,
    records_updated: snapshot.counters.recordsUpdated,
  };
  if (outcome === 'success') {
    logger.info(fields, 'Job complete');
    if (recorded) publishStatus(outcome, null);
    return outcome;
  }
  if (outcome === 'ended_elsewhere') {
    // Cancelled by an operator, failed by an emergency stop or a stale sweep, or deleted: the
    // row tells how it ended; this worker still reports the end of its run.
    logger.warn({ ...fields }, 'Job stopped: execution ended outside this worker');
    const ended = await prisma.jobExecution
      .findUnique({ where: { id: run.executionId }, select: { status: true, errorMessage: true } })
      .catch(() => null);
    const status = ended?.status === 'cancelled' ? 'cancelled' : 'failed';
    errorMessage = ended ? ended.errorMessage : 'Execution deleted while running';
    logger.error({ ...fields, status, error: errorMessage }, 'Job failed');
    publishStatus(status, errorMessage);
    return outcome;
  }
  logger.error({ ...fields, status: outcome, error: errorMessage }, 'Job failed');
  if (recorded) publishStatus(outcome, errorMessage);
  return outcome;
}

/** `write`, retried with a growing pause for up to `forMs`; undefined if it never succeeded. */
async function retried<T>(
  write: () => Promise<T>,
  forMs: number,
  onError: (error: unknown) => void,
): Promise<T | undefined> {
  const giveUpAt = Date.now() + forMs;
  for (let pauseMs = 100; ; pauseMs = Math.min(pauseMs * 2, 2000)) {
    try {
      return await write();
    } catch (error) {
      onError(error);
      if (Date.now() + pauseMs > giveUpAt) return undefined;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}

async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = work.then(
    () => true,
    () => true,
  );
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}

function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  // The abandoned handler may still reject later: keep that from becoming an unhandled rejection.
  work.catch(() => {});
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function scopedRiot(
  riot: RiotClient | undefined,
  signal: AbortSignal,
  onRequest: () => void,
): RiotClient {
  if (riot) return riot.scoped({ priority: 'background', signal, onRequest });
  const missing = () => {
    throw new Error('Riot API client not configured (RIOT_API_KEY / RIOT_API_BASE_URL)');
  };
  // Scoping sends nothing: a job that ends up making no request runs without a client.
  const proxy: RiotClient = new Proxy({} as RiotClient, {
    get: (_target, name) => (name === 'scoped' ? () => proxy : missing),
  });
  return proxy;
}
