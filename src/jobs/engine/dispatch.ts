import type { Agenda } from 'agenda';
import { parseJobConfig } from './config-validation.ts';
import { UnknownJobConfigurationError } from './errors.ts';
import {
  claimPending,
  failPending,
  finishExecution,
  insertFollowUps,
  insertPending,
  insertRunning,
} from './execution-rows.ts';
import type { HandlerLockResult, HandlerLocks } from './handler-locks.ts';
import { isWorkerGone } from './liveness.ts';
import { busyConfigs, type RunnerDeps, type RunningSet, runExecution } from './run-lifecycle.ts';
import {
  checkConfiguration,
  isOthersDefault,
  type ScheduledJobData,
  scheduleSignature,
  usesDefaultInterval,
} from './schedule-reconciler.ts';
import { publishExecutionStatus } from './status-event.ts';
import type { JobRegistry, JobType, Trigger } from './types.ts';

/** Agenda job carrying one queued (pending) execution; one-shot, removed once done. */
export const QUEUED_JOB = 'job-execution';
export type QueuedJobData = { executionId: number };

type DispatchDeps = RunnerDeps & {
  agenda: () => Agenda;
  registry: JobRegistry;
  intervalSeconds: number;
  schedulerEnabled: boolean;
  requeueMs: number;
  /** How old a pending row without an Agenda job must be to count as an orphan. */
  orphanGraceMs: number;
  running: RunningSet;
  handlerLocks: HandlerLocks;
  /** True once the engine began to stop: no follow-up runs are queued then. */
  stopping: () => boolean;
  /** A scheduled job fired on a schedule its configuration no longer has: schedule it anew. */
  onStaleSchedule: (configId: number) => void;
};

const LOCK_REFUSED: Record<Exclude<HandlerLockResult, 'taken'>, string> = {
  'held-elsewhere': 'already running',
  'no-session': "the job engine's database session is reconnecting",
};

/**
 * Turning Agenda jobs into executions. Scheduled runs insert their row as `running` directly
 * (the partial unique index refuses a second one: the run is skipped). Queued runs claim their
 * `pending` row; when the configuration is busy the row stays pending and is retried every
 * `requeueMs` until the running execution ends, so a manual trigger is never lost.
 */
export function createDispatcher(deps: DispatchDeps) {
  const { prisma, logger } = deps;

  async function enqueue(jobConfigId: number, trigger: Trigger): Promise<number> {
    const row = await prisma.jobConfiguration.findUnique({ where: { id: jobConfigId } });
    if (!row) throw new UnknownJobConfigurationError(jobConfigId);
    const executionId = await insertPending(prisma, jobConfigId, trigger);
    try {
      await deps.agenda().now(QUEUED_JOB, { executionId } satisfies QueuedJobData);
    } catch (error) {
      // The caller is told the trigger failed: the row must not run later behind its back.
      await failPending(prisma, executionId, `Could not be queued: ${(error as Error).message}`);
      throw error;
    }
    publishExecutionStatus(
      deps.pubsub,
      { executionId, jobConfigId, jobType: row.jobType, trigger },
      'pending',
    );
    logger.info({ job_type: row.jobType, execution_id: executionId, trigger }, 'Job queued');
    return executionId;
  }

  /** `data`: what the Agenda job was stored with, its schedule's signature among it. */
  async function runScheduled(configId: number, data: ScheduledJobData | undefined): Promise<void> {
    if (!deps.schedulerEnabled) return;
    const row = await prisma.jobConfiguration.findUnique({ where: { id: configId } });
    if (!row?.isActive) return;
    const check = checkConfiguration(deps.registry, row, deps.intervalSeconds);
    if (!check.ok) return;
    // Agenda writes back, as a run ends, the job it held since the run began: a schedule changed
    // meanwhile is undone until the engine schedules it again, and the old cadence may fire first.
    const signature = data?.signature;
    if (
      signature !== undefined &&
      signature !== scheduleSignature(check.schedule) &&
      !(usesDefaultInterval(row) && (await isOthersDefault(prisma, deps.workerId, data)))
    ) {
      logger.info(
        { job_type: row.jobType, job_config_id: configId },
        'Job skipped: fired on a schedule since changed',
      );
      deps.onStaleSchedule(configId);
      return;
    }
    const skipped = (why: string) =>
      logger.info({ job_type: row.jobType, job_config_id: configId }, `Job skipped: ${why}`);
    if (busyConfigs(deps.running).includes(configId)) return skipped('already running');
    const lock = await deps.handlerLocks.take(configId);
    if (lock !== 'taken') return skipped(LOCK_REFUSED[lock]);
    try {
      const executionId = await insertRunning(prisma, configId, deps.workerId);
      if (executionId === null) return skipped('already running');
      await execute(executionId, configId, row.jobType as JobType, 'schedule', check.config);
    } finally {
      await deps.handlerLocks.release(configId);
    }
  }

  async function runQueued(executionId: number): Promise<void> {
    const pending = await prisma.jobExecution.findUnique({
      where: { id: executionId },
      select: { jobConfigId: true, status: true },
    });
    if (pending?.status !== 'pending') return;
    const retryLater = () =>
      deps.agenda().schedule(new Date(Date.now() + deps.requeueMs), QUEUED_JOB, { executionId });
    if ((await deps.handlerLocks.take(pending.jobConfigId)) !== 'taken') {
      await retryLater();
      return;
    }
    try {
      await claimAndRun(executionId, retryLater);
    } finally {
      await deps.handlerLocks.release(pending.jobConfigId);
    }
  }

  async function claimAndRun(executionId: number, retryLater: () => Promise<unknown>) {
    const claim = await claimPending(
      prisma,
      executionId,
      deps.workerId,
      busyConfigs(deps.running),
      deps.schedulerEnabled,
    );
    if (claim.kind === 'gone') return;
    if (claim.kind === 'busy') {
      await retryLater();
      return;
    }
    const row = await prisma.jobConfiguration.findUnique({ where: { id: claim.jobConfigId } });
    // Deleted since the claim: the execution went with it (ON DELETE CASCADE).
    if (!row) return;
    const ref = { executionId, jobConfigId: row.id, jobType: row.jobType, trigger: claim.trigger };
    // A job type this process does not know (a newer process added it).
    const definition = deps.registry[row.jobType as JobType];
    if (!definition) {
      await endUnrun(ref, 'failed', `Unknown job type ${JSON.stringify(row.jobType)}`);
      return;
    }
    // A queued follow-up is part of the schedule: disabling the job drops it. A worker whose
    // scheduler is off never claims an active one (claimPending): it is handed back above.
    if (claim.trigger === 'schedule' && !row.isActive) {
      await endUnrun(ref, 'cancelled', 'Scheduled run dropped: the job is disabled');
      return;
    }
    const config = parseJobConfig(definition, row.configJson);
    if (!config.ok) {
      await endUnrun(ref, 'failed', config.error);
      return;
    }
    if (!deps.schedulerEnabled && claim.trigger === 'manual') {
      logger.info(
        { job_type: row.jobType, execution_id: executionId },
        'Manual trigger runs although the scheduler is disabled (JOB_SCHEDULER_ENABLED=false)',
      );
    }
    await execute(executionId, row.id, row.jobType as JobType, claim.trigger, config.config);
  }

  /** Ends a claimed execution that will not run, as `status`, with `message`. */
  async function endUnrun(
    ref: { executionId: number; jobConfigId: number; jobType: string; trigger: Trigger },
    status: 'failed' | 'cancelled',
    message: string,
  ) {
    const { executionId, jobType } = ref;
    if (
      !(await finishExecution(prisma, executionId, deps.workerId, status, message, emptySnapshot()))
    )
      return;
    const fields = { job_type: jobType, execution_id: executionId, error: message };
    if (status === 'failed') logger.error(fields, 'Job failed');
    else logger.info(fields, 'Job skipped: queued scheduled run dropped');
    publishExecutionStatus(deps.pubsub, ref, status, message);
  }

  async function execute(
    executionId: number,
    jobConfigId: number,
    jobType: JobType,
    trigger: Trigger,
    config: unknown,
  ) {
    const definition = deps.registry[jobType];
    const outcome = await runExecution(
      deps,
      { executionId, jobConfigId, jobType, trigger, definition, config },
      deps.running,
    );
    if (outcome === 'success' && definition.onSuccess) {
      await definition.onSuccess({ enqueue: enqueueFollowUp });
    }
  }

  /** A follow-up run is part of the schedule: not while the scheduler is disabled, nor while
   * stopping (Agenda can no longer take it; the next scheduled run covers it). One queued
   * scheduled run per configuration is enough. */
  async function enqueueFollowUp(jobType: JobType): Promise<void> {
    if (!deps.schedulerEnabled) return;
    if (deps.stopping()) {
      logger.info({ job_type: jobType }, 'Follow-up run not queued: the job engine is stopping');
      return;
    }
    for (const row of await insertFollowUps(prisma, jobType)) {
      const ref = { executionId: row.id, jobConfigId: row.job_config_id, jobType };
      try {
        await deps.agenda().now(QUEUED_JOB, { executionId: row.id } satisfies QueuedJobData);
      } catch (error) {
        // Nobody waits on this row: it stays pending and the orphan sweep queues it again.
        logger.warn({ err: error, execution_id: row.id }, 'Follow-up run not queued yet');
        continue;
      }
      publishExecutionStatus(deps.pubsub, { ...ref, trigger: 'schedule' }, 'pending');
      logger.info({ job_type: jobType, execution_id: row.id, trigger: 'schedule' }, 'Job queued');
    }
  }

  /** Pending rows with no Agenda job to run them (a crash between insert and enqueue, a failed
   * claim, a retry lost in a shutdown, a switched store): queue them again. Claiming is
   * conditional, so a duplicate from a concurrent sweep elsewhere is harmless. Agenda's jobs are
   * read first, and only rows older than `orphanGraceMs` count: a trigger between its insert
   * and its queueing is not an orphan. */
  async function requeueOrphans(): Promise<number[]> {
    const { jobs } = await deps.agenda().queryJobs({ name: QUEUED_JOB });
    const graceSeconds = deps.orphanGraceMs / 1000;
    const rows = await prisma.$queryRaw<{ id: number }[]>`
      SELECT id FROM job_executions
      WHERE status = 'pending' AND created_at < now() - make_interval(secs => ${graceSeconds}::float8)
      ORDER BY id`;
    if (rows.length === 0) return [];
    // Jobs that will still run: due and unlocked, or locked by a live worker. A spent job (ran,
    // and Agenda failed to remove it) will never run; one locked by a worker that died (or that
    // locked it while stopping) would wait out the lock lifetime, and with it every later
    // trigger of its configuration (they run oldest first).
    const gone = new Map<string, Promise<boolean>>();
    const lockerGone = (workerId: string) => {
      if (!gone.has(workerId)) gone.set(workerId, isWorkerGone(prisma, workerId));
      return gone.get(workerId) as Promise<boolean>;
    };
    const queued = new Set<number | undefined>();
    for (const job of jobs) {
      const stuck = job.lockedAt
        ? job.lastModifiedBy !== undefined && (await lockerGone(job.lastModifiedBy))
        : job.nextRunAt == null;
      if (!stuck) queued.add((job.data as QueuedJobData | undefined)?.executionId);
    }
    const orphans = rows.map((r) => r.id).filter((id) => !queued.has(id));
    for (const id of orphans) {
      await deps.agenda().now(QUEUED_JOB, { executionId: id } satisfies QueuedJobData);
      logger.warn({ execution_id: id }, 'Pending execution had no queued job: queued again');
    }
    return orphans;
  }

  return { enqueue, runScheduled, runQueued, requeueOrphans };
}

function emptySnapshot() {
  return {
    counters: { apiRequestsMade: 0, recordsCreated: 0, recordsUpdated: 0 },
    progress: null,
    newLogEntries: [],
  };
}
