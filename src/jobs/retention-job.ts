import { z } from 'zod';
import { defineJob } from './engine/index.ts';

/** Deletes finished executions older than `retentionDays` (JOB_EXECUTION_RETENTION_DAYS);
 * pending and running rows are never touched, however old. */
export function executionRetentionJob(retentionDays: number) {
  return defineJob({
    description: 'Deletes job executions older than JOB_EXECUTION_RETENTION_DAYS',
    configSchema: z.strictObject({}),
    async handler(_config, ctx) {
      ctx.progress({ phase: 'deleting', processed: 0, total: null });
      const deleted = await ctx.prisma.$executeRaw`
        DELETE FROM job_executions
        WHERE status IN ('success', 'failed', 'cancelled')
          AND COALESCE(completed_at, started_at, created_at) < now() - make_interval(days => ${retentionDays}::int)`;
      ctx.progress({ phase: 'deleted', processed: deleted, total: deleted });
      ctx.logger.info({ deleted, retention_days: retentionDays }, 'Old job executions deleted');
    },
  });
}
