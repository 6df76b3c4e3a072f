import type { PrismaClient } from '../../db/prisma.ts';
import type { ExecutionStatus, Trigger } from '../engine/index.ts';

export type JobSummary = {
  id: number;
  jobType: string;
  name: string;
  isActive: boolean;
  schedule: string | null;
  config: unknown;
  /** Why the row is not scheduled (invalid schedule or config_json); null when valid. */
  configError: string | null;
  nextRunAt: Date | null;
  lastExecution: {
    id: number;
    status: ExecutionStatus;
    trigger: Trigger;
    startedAt: Date | null;
    completedAt: Date | null;
    errorMessage: string | null;
  } | null;
  runningExecutionId: number | null;
};

/**
 * Every job configuration with its newest execution and its running one. The newest is one index
 * probe per configuration: Prisma words a nested `take: 1` as a read of every execution.
 */
export async function listJobs(
  prisma: PrismaClient,
  nextRuns: Map<number, Date | null>,
): Promise<JobSummary[]> {
  const rows = await prisma.$queryRaw<
    {
      id: number;
      job_type: string;
      name: string;
      is_active: boolean;
      schedule: string | null;
      config_json: unknown;
      config_error: string | null;
      last_id: number | null;
      last_status: string | null;
      last_trigger: string | null;
      last_started_at: Date | null;
      last_completed_at: Date | null;
      last_error_message: string | null;
      running_id: number | null;
    }[]
  >`
    SELECT jc.id, jc.job_type, jc.name, jc.is_active, jc.schedule, jc.config_json,
      jc.config_error, last.id AS last_id, last.status AS last_status,
      last.trigger AS last_trigger, last.started_at AS last_started_at,
      last.completed_at AS last_completed_at, last.error_message AS last_error_message,
      (SELECT r.id FROM job_executions r
       WHERE r.job_config_id = jc.id AND r.status = 'running') AS running_id
    FROM job_configurations jc
    LEFT JOIN LATERAL (
      SELECT e.id, e.status, e.trigger, e.started_at, e.completed_at, e.error_message
      FROM job_executions e WHERE e.job_config_id = jc.id ORDER BY e.id DESC LIMIT 1
    ) last ON true
    ORDER BY jc.id`;
  return rows.map((row) => ({
    id: row.id,
    jobType: row.job_type,
    name: row.name,
    isActive: row.is_active,
    schedule: row.schedule,
    config: row.config_json,
    configError: row.config_error,
    // The store is shared: another worker may not have unscheduled an inactive or invalid row yet.
    nextRunAt: row.is_active && row.config_error === null ? (nextRuns.get(row.id) ?? null) : null,
    lastExecution:
      row.last_id === null
        ? null
        : {
            id: row.last_id,
            status: row.last_status as ExecutionStatus,
            trigger: row.last_trigger as Trigger,
            startedAt: row.last_started_at,
            completedAt: row.last_completed_at,
            errorMessage: row.last_error_message,
          },
    runningExecutionId: row.running_id,
  }));
}

export type JobTypeStats = {
  jobType: string;
  totalExecutions: number;
  successful: number;
  failed: number;
  /** successful / total, 0..1 (the runbook's target is > 0.95). */
  successRate: number;
  avgDurationSeconds: number | null;
  avgApiRequests: number | null;
  maxApiRequests: number | null;
};

/** The runbook's statistics (execution statistics + API request usage) since `since`. */
export async function jobStats(prisma: PrismaClient, since: Date): Promise<JobTypeStats[]> {
  const rows = await prisma.$queryRaw<
    {
      job_type: string;
      total: number;
      successful: number;
      failed: number;
      avg_duration: number | null;
      avg_requests: number | null;
      max_requests: number | null;
    }[]
  >`
    SELECT
      jc.job_type,
      COUNT(*)::int AS total,
      SUM(CASE WHEN je.status = 'success' THEN 1 ELSE 0 END)::int AS successful,
      SUM(CASE WHEN je.status = 'failed' THEN 1 ELSE 0 END)::int AS failed,
      AVG(EXTRACT(EPOCH FROM (je.completed_at - je.started_at)))::float8 AS avg_duration,
      AVG(je.api_requests_made)::float8 AS avg_requests,
      MAX(je.api_requests_made)::int AS max_requests
    FROM job_executions je
    JOIN job_configurations jc ON je.job_config_id = jc.id
    WHERE je.started_at > ${since}
    GROUP BY jc.job_type
    ORDER BY jc.job_type`;
  return rows.map((r) => ({
    jobType: r.job_type,
    totalExecutions: r.total,
    successful: r.successful,
    failed: r.failed,
    successRate: r.total > 0 ? r.successful / r.total : 0,
    avgDurationSeconds: r.avg_duration,
    avgApiRequests: r.avg_requests,
    maxApiRequests: r.max_requests,
  }));
}
