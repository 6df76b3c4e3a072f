import { z } from 'zod';
import { defineJob } from '../types.ts';

/** Deletes finished executions older than JOB_EXECUTION_RETENTION_DAYS (pending and running
 * rows are never touched, however old). */
export const executionRetention = defineJob({
  description: 'Deletes job executions older than JOB_EXECUTION_RETENTION_DAYS',
  configSchema: z.strictObject({}),
  async handler(_config, ctx) {
    const days = ctx.settings.executionRetentionDays;
    ctx.progress({ phase: 'deleting', processed: 0, total: null });
    const deleted = await ctx.prisma.$executeRaw`
      DELETE FROM job_executions
      WHERE status IN ('success', 'failed', 'cancelled')
        AND COALESCE(completed_at, started_at, created_at) < now() - make_interval(days => ${days}::int)`;
    ctx.progress({ phase: 'deleted', processed: deleted, total: deleted });
    ctx.logger.info({ deleted, retention_days: days }, 'Old job executions deleted');
  },
});
