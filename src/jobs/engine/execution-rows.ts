import type { PrismaClient } from '../../db/prisma.ts';
import { isOneRunningViolation } from './errors.ts';
import type { Counters, ExecutionStatus, Trigger } from './types.ts';

/** Row lifecycle statements of `job_executions`. Every state change is conditional on the
 * current state, so a row ended elsewhere (cancel, emergency stop, stale sweep) stays ended. */

export type ExecutionSnapshot = {
  counters: Counters;
  progress: Record<string, unknown> | null;
  /** Entries not yet written; appended to `execution_log`. */
  newLogEntries: unknown[];
};

export type ClaimResult =
  | { kind: 'claimed'; jobConfigId: number; trigger: Trigger }
  | { kind: 'busy' }
  | { kind: 'gone' };

export async function insertPending(prisma: PrismaClient, jobConfigId: number, trigger: Trigger) {
  const rows = await prisma.$queryRaw<{ id: number }[]>`
    INSERT INTO job_executions (job_config_id, status, trigger)
    VALUES (${jobConfigId}, 'pending', ${trigger}) RETURNING id`;
  return (rows[0] as { id: number }).id;
}

/**
 * A queued scheduled run for every active, valid configuration of `jobType` that has none; the
 * partial unique index `job_executions_one_pending_schedule_per_config` makes it atomic.
 */
export function insertFollowUps(
  prisma: PrismaClient,
  jobType: string,
): Promise<{ id: number; job_config_id: number }[]> {
  return prisma.$queryRaw`
    INSERT INTO job_executions (job_config_id, status, trigger)
    SELECT jc.id, 'pending', 'schedule' FROM job_configurations jc
    WHERE jc.job_type = ${jobType} AND jc.is_active AND jc.config_error IS NULL
    ON CONFLICT (job_config_id) WHERE status = 'pending' AND trigger = 'schedule' DO NOTHING
    RETURNING id, job_config_id`;
}

/** A scheduled run's row, running at once; null when the configuration already runs somewhere. */
export async function insertRunning(
  prisma: PrismaClient,
  jobConfigId: number,
  workerId: string,
): Promise<number | null> {
  try {
    const rows = await prisma.$queryRaw<{ id: number }[]>`
      INSERT INTO job_executions (job_config_id, status, trigger, started_at, heartbeat_at, worker_id)
      VALUES (${jobConfigId}, 'running', 'schedule', now(), now(), ${workerId}) RETURNING id`;
    return (rows[0] as { id: number }).id;
  } catch (error) {
    if (isOneRunningViolation(error)) return null;
    throw error;
  }
}

/** pending → running for this worker, oldest trigger of a configuration first. `busy`: the
 * configuration runs elsewhere, or here (`busyConfigs`: still winding down), or an older trigger
 * of it waits, or it is a scheduled run of an active configuration and this worker does not
 * `takeScheduled` (it is left to a worker whose scheduler runs, and does not hold up manual
 * triggers here); `gone`: the row is no longer pending (cancelled, already claimed, deleted). */
export async function claimPending(
  prisma: PrismaClient,
  executionId: number,
  workerId: string,
  busyConfigs: number[],
  takeScheduled: boolean,
): Promise<ClaimResult> {
  try {
    const rows = await prisma.$queryRaw<{ job_config_id: number; trigger: Trigger }[]>`
      UPDATE job_executions je
      SET status = 'running', started_at = now(), heartbeat_at = now(), worker_id = ${workerId}
      FROM job_configurations jc
      WHERE je.id = ${executionId} AND je.status = 'pending' AND jc.id = je.job_config_id
        AND je.job_config_id <> ALL(${busyConfigs}::int[])
        AND (${takeScheduled} OR je.trigger <> 'schedule' OR NOT jc.is_active)
        AND NOT EXISTS (
          SELECT 1 FROM job_executions older
          WHERE older.job_config_id = je.job_config_id AND older.status = 'pending'
            AND older.id < je.id AND (${takeScheduled} OR older.trigger <> 'schedule'))
      RETURNING je.job_config_id, je.trigger`;
    const row = rows[0];
    if (row) return { kind: 'claimed', jobConfigId: row.job_config_id, trigger: row.trigger };
    const still = await prisma.jobExecution.findUnique({
      where: { id: executionId },
      select: { status: true },
    });
    return still?.status === 'pending' ? { kind: 'busy' } : { kind: 'gone' };
  } catch (error) {
    if (isOneRunningViolation(error)) return { kind: 'busy' };
    throw error;
  }
}

/** Returns false when the row is no longer this worker's running execution. */
export async function heartbeat(prisma: PrismaClient, executionId: number, workerId: string) {
  const count = await prisma.$executeRaw`
    UPDATE job_executions SET heartbeat_at = now()
    WHERE id = ${executionId} AND status = 'running' AND worker_id = ${workerId}`;
  return count > 0;
}

/** Counters, progress and new log entries, whatever the row's status (they are facts). */
export async function writeSnapshot(
  prisma: PrismaClient,
  executionId: number,
  s: ExecutionSnapshot,
) {
  await prisma.$executeRaw`
    UPDATE job_executions SET
      api_requests_made = ${s.counters.apiRequestsMade},
      records_created = ${s.counters.recordsCreated},
      records_updated = ${s.counters.recordsUpdated},
      progress = COALESCE(${json(s.progress)}::jsonb, progress),
      execution_log = execution_log || ${JSON.stringify(s.newLogEntries)}::jsonb
    WHERE id = ${executionId}`;
}

/** running → final, only if still this worker's. Returns false when it was ended elsewhere. */
export async function finishExecution(
  prisma: PrismaClient,
  executionId: number,
  workerId: string,
  status: Exclude<ExecutionStatus, 'pending' | 'running'>,
  errorMessage: string | null,
  s: ExecutionSnapshot,
): Promise<boolean> {
  const count = await prisma.$executeRaw`
    UPDATE job_executions SET
      status = ${status},
      completed_at = now(),
      error_message = ${errorMessage},
      api_requests_made = ${s.counters.apiRequestsMade},
      records_created = ${s.counters.recordsCreated},
      records_updated = ${s.counters.recordsUpdated},
      progress = COALESCE(${json(s.progress)}::jsonb, progress),
      execution_log = execution_log || ${JSON.stringify(s.newLogEntries)}::jsonb
    WHERE id = ${executionId} AND status = 'running' AND worker_id = ${workerId}`;
  return count > 0;
}

/**
 * Whether the row already holds the end this worker wrote: a final write whose reply was lost (a
 * connection reset after the commit) finds it so when retried. Another hand ending the row (an
 * operator, the stale sweep) writes its own message.
 */
export async function holdsOwnEnd(
  prisma: PrismaClient,
  executionId: number,
  workerId: string,
  status: Exclude<ExecutionStatus, 'pending' | 'running'>,
  errorMessage: string | null,
): Promise<boolean> {
  const rows = await prisma.$queryRaw<unknown[]>`
    SELECT 1 FROM job_executions
    WHERE id = ${executionId} AND worker_id = ${workerId} AND status = ${status}
      AND error_message IS NOT DISTINCT FROM ${errorMessage}`;
  return rows.length > 0;
}

/** A triggered row that must never run (it could not be queued) fails without running. */
export async function failPending(prisma: PrismaClient, executionId: number, errorMessage: string) {
  await prisma.$executeRaw`
    UPDATE job_executions SET status = 'failed', completed_at = now(), error_message = ${errorMessage}
    WHERE id = ${executionId} AND status IN ('pending', 'running')`;
}

function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}
