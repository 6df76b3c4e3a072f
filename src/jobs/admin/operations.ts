import type { PrismaClient } from '../../db/prisma.ts';
import {
  ExecutionEndedElsewhereError,
  type ExecutionRef,
  type ExecutionStatus,
  isWorkerGone,
  type JobEngine,
  JobEngineNotRunningError,
  publishExecutionStatus,
  type Trigger,
  UnknownJobConfigurationError,
} from '../engine/index.ts';
import { type ConfigureJobInput, configureJob } from './configure-job.ts';
import {
  ExecutionNotCancellableError,
  ExecutionNotFoundError,
  JobEngineStoppingError,
  JobNotFoundError,
} from './errors.ts';
import { jobStats, listJobs } from './read-models.ts';

export type { ConfigureJobInput } from './configure-job.ts';

/**
 * The job use-cases shared by GraphQL, REST and the CLI. Expected failures throw
 * AppError subclasses (stable `code`) and change nothing.
 */
export function createJobOperations(deps: {
  prisma: PrismaClient;
  engine: Pick<
    JobEngine,
    | 'enqueue'
    | 'abortLocal'
    | 'nextRuns'
    | 'schedulesSettled'
    | 'pubsub'
    | 'registry'
    | 'intervalSeconds'
  >;
}) {
  const { prisma, engine } = deps;

  /** Each configuration's next scheduled run, from Agenda's store: not while the engine stops. */
  const nextRuns = () =>
    engine.nextRuns().catch((error: unknown) => {
      if (!(error instanceof JobEngineNotRunningError)) throw error;
      throw new JobEngineStoppingError('job schedules cannot be read now', { cause: error });
    });

  /**
   * A running execution ended here: its worker reports the end (at once if it is this process,
   * else at its next heartbeat). A worker that is gone never will, so the end is published here;
   * a duplicate from a worker that was only slow is dropped by subscribers (same status stage).
   */
  async function endedWhileRunning(
    ref: ExecutionRef,
    workerId: string | null,
    status: ExecutionStatus,
    message: string,
  ) {
    if (engine.abortLocal(ref.executionId, new ExecutionEndedElsewhereError(ref.executionId)))
      return;
    // The change is made: a failed check must not fail the operation (the worker may report it).
    const gone = workerId === null || (await isWorkerGone(prisma, workerId).catch(() => false));
    if (!gone) return;
    publishExecutionStatus(engine.pubsub, ref, status, message);
  }

  return {
    listJobs: async () => listJobs(prisma, await nextRuns()),
    getJob: async (id: number) =>
      (await listJobs(prisma, await nextRuns())).find((j) => j.id === id) ?? null,
    jobStats: (since: Date = new Date(Date.now() - 24 * 3600_000)) => jobStats(prisma, since),

    /** Returns the new execution's id at once; the run goes pending → running → final. */
    async triggerJob(id: number): Promise<number> {
      if (!Number.isInteger(id)) throw new JobNotFoundError(id);
      try {
        return await engine.enqueue(id, 'manual');
      } catch (error) {
        if (error instanceof UnknownJobConfigurationError) throw new JobNotFoundError(id);
        if (error instanceof JobEngineNotRunningError)
          throw new JobEngineStoppingError(undefined, { cause: error });
        throw error;
      }
    },

    /**
     * Applies the change, then waits for the scheduler to take it in: the NOTIFY-driven reconcile
     * would otherwise land after the answer, whose next run would still be the old schedule's.
     */
    async configureJob(id: number, input: ConfigureJobInput) {
      const updated = await configureJob(
        { prisma, registry: engine.registry, intervalSeconds: engine.intervalSeconds },
        id,
        input,
      );
      await engine.schedulesSettled();
      return updated;
    },

    async cancelExecution(id: number): Promise<{ id: number; previousStatus: string }> {
      const rows = await prisma.$queryRaw<
        {
          id: number;
          previous: string;
          job_config_id: number;
          job_type: string;
          trigger: Trigger;
          worker_id: string | null;
        }[]
      >`
        UPDATE job_executions je SET status = 'cancelled', completed_at = now(),
          error_message = 'Cancelled by operator'
        FROM (SELECT id, status AS previous FROM job_executions WHERE id = ${id} FOR UPDATE) old,
          job_configurations jc
        WHERE je.id = old.id AND je.status IN ('pending', 'running') AND jc.id = je.job_config_id
        RETURNING je.id, old.previous, je.job_config_id, jc.job_type, je.trigger, je.worker_id`;
      const row = rows[0];
      if (!row) {
        const existing = await prisma.jobExecution.findUnique({
          where: { id },
          select: { status: true },
        });
        if (!existing) throw new ExecutionNotFoundError(id);
        throw new ExecutionNotCancellableError(id, existing.status);
      }
      const ref = {
        executionId: id,
        jobConfigId: row.job_config_id,
        jobType: row.job_type,
        trigger: row.trigger,
      };
      if (row.previous === 'running') {
        await endedWhileRunning(ref, row.worker_id, 'cancelled', 'Cancelled by operator');
      } else {
        // A pending execution has no worker: its end is published here.
        publishExecutionStatus(engine.pubsub, ref, 'cancelled', 'Cancelled by operator');
      }
      return { id, previousStatus: row.previous };
    },

    /** Runbook "Disable All Jobs" (database part). Returns the number of configurations. */
    disableAllJobs: () => prisma.$executeRaw`UPDATE job_configurations SET is_active = false`,

    /**
     * Runbook "Clear Job Queue": running executions failed with 'Emergency stop' (the runbook's
     * SQL), and queued ones cancelled with them: left pending, they would start within seconds.
     */
    async failRunningExecutions(): Promise<{ failed: number; cancelled: number }> {
      const rows = await prisma.$queryRaw<
        {
          id: number;
          status: string;
          job_config_id: number;
          job_type: string;
          trigger: Trigger;
          worker_id: string | null;
        }[]
      >`
        UPDATE job_executions je
        SET status = CASE je.status WHEN 'running' THEN 'failed' ELSE 'cancelled' END,
          error_message = 'Emergency stop', completed_at = NOW()
        FROM job_configurations jc
        WHERE jc.id = je.job_config_id AND je.status IN ('pending', 'running')
        RETURNING je.id, je.status, je.job_config_id, jc.job_type, je.trigger, je.worker_id`;
      for (const row of rows) {
        const ref = {
          executionId: row.id,
          jobConfigId: row.job_config_id,
          jobType: row.job_type,
          trigger: row.trigger,
        };
        if (row.status === 'failed') {
          await endedWhileRunning(ref, row.worker_id, 'failed', 'Emergency stop');
          continue;
        }
        // A queued row has no worker to report its end.
        publishExecutionStatus(engine.pubsub, ref, 'cancelled', 'Emergency stop');
      }
      const failed = rows.filter((r) => r.status === 'failed').length;
      return { failed, cancelled: rows.length - failed };
    },

    /** Runbook "Reset Job State": all execution history deleted, player tracking flags reset. */
    async resetJobState(): Promise<{ playersReset: number }> {
      const running = await prisma.jobExecution.findMany({
        where: { status: 'running' },
        select: { id: true },
      });
      const [, playersReset] = await prisma.$transaction([
        prisma.$executeRaw`TRUNCATE TABLE job_executions CASCADE`,
        prisma.$executeRaw`UPDATE players SET is_tracked = false, is_analyzed = false`,
      ]);
      for (const { id } of running) engine.abortLocal(id, new ExecutionEndedElsewhereError(id));
      return { playersReset };
    },
  };
}

export type JobOperations = ReturnType<typeof createJobOperations>;
