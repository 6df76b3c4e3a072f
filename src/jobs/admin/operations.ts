import type { PrismaClient } from '../../db/prisma.ts';
import {
  ExecutionEndedElsewhereError,
  type JobEngine,
  publishExecutionStatus,
  type Trigger,
  UnknownJobConfigurationError,
} from '../engine/index.ts';
import { type ConfigureJobInput, configureJob } from './configure-job.ts';
import {
  ExecutionNotCancellableError,
  ExecutionNotFoundError,
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

  return {
    listJobs: async () => listJobs(prisma, await engine.nextRuns()),
    getJob: async (id: number) =>
      (await listJobs(prisma, await engine.nextRuns())).find((j) => j.id === id) ?? null,
    jobStats: (since: Date = new Date(Date.now() - 24 * 3600_000)) => jobStats(prisma, since),

    /** Returns the new execution's id at once; the run goes pending → running → final. */
    async triggerJob(id: number): Promise<number> {
      if (!Number.isInteger(id)) throw new JobNotFoundError(id);
      try {
        return await engine.enqueue(id, 'manual');
      } catch (error) {
        if (error instanceof UnknownJobConfigurationError) throw new JobNotFoundError(id);
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
        }[]
      >`
        UPDATE job_executions je SET status = 'cancelled', completed_at = now(),
          error_message = 'Cancelled by operator'
        FROM (SELECT id, status AS previous FROM job_executions WHERE id = ${id} FOR UPDATE) old,
          job_configurations jc
        WHERE je.id = old.id AND je.status IN ('pending', 'running') AND jc.id = je.job_config_id
        RETURNING je.id, old.previous, je.job_config_id, jc.job_type, je.trigger`;
      const row = rows[0];
      if (!row) {
        const existing = await prisma.jobExecution.findUnique({
          where: { id },
          select: { status: true },
        });
        if (!existing) throw new ExecutionNotFoundError(id);
        throw new ExecutionNotCancellableError(id, existing.status);
      }
      // A running execution's worker reports its end (here at once, elsewhere at its next
      // heartbeat); a pending one has no worker, so its end is published here.
      engine.abortLocal(id, new ExecutionEndedElsewhereError(id));
      if (row.previous === 'pending') {
        publishExecutionStatus(
          engine.pubsub,
          {
            executionId: id,
            jobConfigId: row.job_config_id,
            jobType: row.job_type,
            trigger: row.trigger,
          },
          'cancelled',
          'Cancelled by operator',
        );
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
        { id: number; status: string; job_config_id: number; job_type: string; trigger: Trigger }[]
      >`
        UPDATE job_executions je
        SET status = CASE je.status WHEN 'running' THEN 'failed' ELSE 'cancelled' END,
          error_message = 'Emergency stop', completed_at = NOW()
        FROM job_configurations jc
        WHERE jc.id = je.job_config_id AND je.status IN ('pending', 'running')
        RETURNING je.id, je.status, je.job_config_id, jc.job_type, je.trigger`;
      for (const row of rows) {
        if (row.status === 'failed') {
          engine.abortLocal(row.id, new ExecutionEndedElsewhereError(row.id));
          continue;
        }
        // A queued row has no worker to report its end.
        const ref = { executionId: row.id, jobConfigId: row.job_config_id, jobType: row.job_type };
        publishExecutionStatus(
          engine.pubsub,
          { ...ref, trigger: row.trigger },
          'cancelled',
          'Emergency stop',
        );
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
