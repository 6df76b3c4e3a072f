import { Counter, Histogram, type Registry } from 'prom-client';
import type { PrismaClient } from '../db/prisma.ts';
import type { ExecutionStatusEvent, RiftwatchPubSub } from '../events/pubsub.ts';
import { isFinalStatus } from '../jobs/engine/index.ts';
import type { Logger } from '../logger.ts';

/** Executions whose final figures were counted, so a repeated final event counts once. */
const REMEMBERED = 10_000;

/**
 * Job executions from the `executionStatus` events: every status change by job type and
 * status, and at each final status the run's duration, records and Riot requests as its row
 * holds them. With REDIS_URL every process sees every process's events, so each reports the
 * whole fleet's runs (aggregate with max, not sum).
 */
export function createJobMetrics(registry: Registry) {
  const registers = [registry];
  const executions = new Counter({
    name: 'riftwatch_job_executions_total',
    help: 'Execution status changes (pending, running, success, failed, cancelled) by job type',
    labelNames: ['job_type', 'status'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'riftwatch_job_duration_seconds',
    help: 'Run durations (started to completed) by job type and final status',
    labelNames: ['job_type', 'status'] as const,
    buckets: [0.1, 0.5, 1, 2, 5, 10, 20, 30, 60, 90, 120, 300],
    registers,
  });
  const records = new Counter({
    name: 'riftwatch_job_records_total',
    help: 'Records created or updated by finished runs, by job type',
    labelNames: ['job_type', 'kind'] as const,
    registers,
  });
  const apiRequests = new Counter({
    name: 'riftwatch_job_api_requests_total',
    help: 'Riot API requests made by finished runs, by job type',
    labelNames: ['job_type'] as const,
    registers,
  });

  /** Subscribes to `executionStatus`; returns a function that stops. */
  function observe(deps: {
    pubsub: RiftwatchPubSub;
    prisma: Pick<PrismaClient, 'jobExecution'>;
    logger: Logger;
  }): () => Promise<void> {
    const events = deps.pubsub.subscribe('executionStatus');
    const counted = new Set<number>();
    const onFinal = async (event: ExecutionStatusEvent) => {
      if (counted.has(event.executionId)) return;
      counted.add(event.executionId);
      if (counted.size > REMEMBERED) counted.delete(counted.values().next().value as number);
      const row = await deps.prisma.jobExecution.findUnique({
        where: { id: event.executionId },
        select: {
          startedAt: true,
          completedAt: true,
          recordsCreated: true,
          recordsUpdated: true,
          apiRequestsMade: true,
        },
      });
      if (!row) return;
      const jobType = event.jobType;
      if (row.startedAt && row.completedAt) {
        const seconds = (row.completedAt.getTime() - row.startedAt.getTime()) / 1000;
        duration.observe({ job_type: jobType, status: event.status }, Math.max(0, seconds));
      }
      records.inc({ job_type: jobType, kind: 'created' }, row.recordsCreated);
      records.inc({ job_type: jobType, kind: 'updated' }, row.recordsUpdated);
      apiRequests.inc({ job_type: jobType }, row.apiRequestsMade);
    };
    const loop = (async () => {
      for await (const event of events) {
        executions.inc({ job_type: event.jobType, status: event.status });
        if (!isFinalStatus(event.status)) continue;
        await onFinal(event).catch((err: unknown) =>
          deps.logger.warn({ err, execution_id: event.executionId }, 'Metrics: run not read'),
        );
      }
    })().catch((err: unknown) => deps.logger.error({ err }, 'Metrics: execution events lost'));
    return async () => {
      await events.return();
      await loop;
    };
  }

  return { observe };
}
