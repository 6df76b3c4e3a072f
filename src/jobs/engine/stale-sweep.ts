import type { PrismaClient } from '../../db/prisma.ts';
import type { RiftwatchPubSub } from '../../events/pubsub.ts';
import type { Logger } from '../../logger.ts';
import { isWorkerGone } from './liveness.ts';
import { publishExecutionStatus } from './status-event.ts';
import type { Trigger } from './types.ts';

type FailedRow = {
  id: number;
  job_config_id: number;
  job_type: string;
  trigger: Trigger;
  worker_id: string | null;
  error_message: string;
};

/**
 * Fails `running` rows whose worker is gone ("stale"): those whose worker's liveness lock is free
 * (see liveness.ts) and whose heartbeat has been silent for `deadAfterMs`, and those without a
 * heartbeat for `staleAfterMs` (a worker alive but cut off). A free lock alone is not enough: it
 * is also free while a live worker's listener session reconnects, and its heartbeats, sent
 * through the pool, show it alive meanwhile. The lock lifetime is used for `staleAfterMs`: it
 * exceeds JOB_TIMEOUT_SECONDS, and a live worker ends every run by its timeout, so a live run is
 * never taken for stale however late its heartbeats are.
 */
export async function failStaleExecutions(options: {
  prisma: PrismaClient;
  pubsub: RiftwatchPubSub;
  logger: Logger;
  workerId: string;
  staleAfterMs: number;
  deadAfterMs: number;
}): Promise<number[]> {
  const { prisma, workerId } = options;
  const failed: FailedRow[] = [];
  const silentMs = Math.ceil(options.deadAfterMs);
  const running = await prisma.$queryRaw<{ id: number; worker_id: string }[]>`
    SELECT id, worker_id FROM job_executions
    WHERE status = 'running' AND worker_id IS NOT NULL AND worker_id <> ${workerId}
      AND COALESCE(heartbeat_at, started_at, created_at)
        < now() - make_interval(secs => ${silentMs / 1000}::float8)`;
  const gone: number[] = [];
  for (const row of running) if (await isWorkerGone(prisma, row.worker_id)) gone.push(row.id);
  if (gone.length > 0) {
    failed.push(
      ...(await prisma.$queryRaw<FailedRow[]>`
        UPDATE job_executions je SET status = 'failed', completed_at = now(),
          error_message = 'Stale: worker ' || je.worker_id || ' is gone (its database session ended); marked failed by ' || ${workerId}
        FROM job_configurations jc
        WHERE je.id = ANY(${gone}::int[]) AND je.status = 'running' AND jc.id = je.job_config_id
        RETURNING je.id, je.job_config_id, jc.job_type, je.trigger, je.worker_id, je.error_message`),
    );
  }
  const seconds = Math.ceil(options.staleAfterMs / 1000);
  failed.push(
    ...(await prisma.$queryRaw<FailedRow[]>`
      UPDATE job_executions je SET status = 'failed', completed_at = now(),
        error_message = 'Stale: no heartbeat from worker ' || COALESCE(je.worker_id, 'unknown')
          || ' for more than ' || ${seconds}::int || ' s; marked failed by ' || ${workerId}
      FROM job_configurations jc
      WHERE je.status = 'running' AND jc.id = je.job_config_id
        AND COALESCE(je.heartbeat_at, je.started_at, je.created_at) < now() - make_interval(secs => ${seconds}::int)
      RETURNING je.id, je.job_config_id, jc.job_type, je.trigger, je.worker_id, je.error_message`),
  );
  for (const row of failed) {
    options.logger.warn(
      { execution_id: row.id, job_type: row.job_type, stale_worker_id: row.worker_id },
      'Stale job execution marked failed',
    );
    // The line every other failed run gets, which a dead worker could not log.
    options.logger.error(
      { execution_id: row.id, job_type: row.job_type, status: 'failed', error: row.error_message },
      'Job failed',
    );
    publishExecutionStatus(
      options.pubsub,
      {
        executionId: row.id,
        jobConfigId: row.job_config_id,
        jobType: row.job_type,
        trigger: row.trigger,
      },
      'failed',
      row.error_message,
    );
  }
  return failed.map((r) => r.id);
}
