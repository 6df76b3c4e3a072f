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

export async function listJobs(
  prisma: PrismaClient,
  nextRuns: Map<number, Date | null>,
): Promise<JobSummary[]> {
  const rows = await prisma.jobConfiguration.findMany({
    orderBy: { id: 'asc' },
    include: { executions: { orderBy: { id: 'desc' }, take: 1 } },
  });
  const running = await prisma.jobExecution.findMany({
    where: { status: 'running' },
    select: { id: true, jobConfigId: true },
  });
  return rows.map((row) => {
    const last = row.executions[0];
    return {
      id: row.id,
      jobType: row.jobType,
      name: row.name,
      isActive: row.isActive,
      schedule: row.schedule,
      config: row.configJson,
      configError: row.configError,
      nextRunAt: nextRuns.get(row.id) ?? null,
      lastExecution: last
        ? {
            id: last.id,
            status: last.status as ExecutionStatus,
            trigger: last.trigger as Trigger,
            startedAt: last.startedAt,
            completedAt: last.completedAt,
            errorMessage: last.errorMessage,
          }
        : null,
      runningExecutionId: running.find((r) => r.jobConfigId === row.id)?.id ?? null,
    };
  });
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
