import { Writable } from 'node:stream';
import { pino } from 'pino';
import { z } from 'zod';
import { createEventBus, type RiftwatchPubSub } from '../../../src/events/pubsub.ts';
import type { JobStore } from '../../../src/jobs/engine/agenda-store.ts';
import {
  createJobEngine,
  type EngineTimings,
  type JobEngine,
} from '../../../src/jobs/engine/engine.ts';
import { defineJob, type JobRegistry } from '../../../src/jobs/engine/index.ts';
import { createJobRegistry } from '../../../src/jobs/registry.ts';

/** The production registry with the default retention. */
export const jobRegistry = createJobRegistry({ executionRetentionDays: 30 });

import type { Logger } from '../../../src/logger.ts';
import type { RiotClient } from '../../../src/riot/client.ts';
import type { TestDatabase } from '../../helpers/database.ts';

import { waitFor } from '../../helpers/wait.ts';

export { waitFor };

/** Fast timings so lifecycle tests take seconds (production defaults are in DEFAULT_TIMINGS). */
export const FAST: Partial<EngineTimings> = {
  processEveryMs: 200,
  heartbeatMs: 250,
  progressFlushMs: 100,
  // Long on purpose: configuration changes must arrive through NOTIFY, not the safety poll.
  safetyPollMs: 60_000,
  staleSweepMs: 500,
  deadAfterMs: 1250,
  lockMarginMs: 1500,
  drainMs: 1500,
  abandonGraceMs: 1000,
  requeueMs: 250,
  orphanGraceMs: 400,
};

/** A test job: sleeps `sleep_ms` (honouring the signal unless `ignore_signal`), counts, reports. */
export const sleepyJob = defineJob({
  description: 'test job',
  configSchema: z.looseObject({
    sleep_ms: z.number().default(0),
    ignore_signal: z.boolean().default(false),
    fail_with: z.string().optional(),
    steps: z.number().int().default(4),
  }),
  async handler(config, ctx) {
    for (let step = 1; step <= config.steps; step++) {
      await sleep(config.sleep_ms / config.steps, config.ignore_signal ? undefined : ctx.signal);
      ctx.count('recordsCreated');
      ctx.count('recordsUpdated', 2);
      ctx.progress({ phase: 'steps', processed: step, total: config.steps });
    }
    if (config.fail_with) throw new Error(config.fail_with);
  },
});

/**
 * The sleepy job, counting how many of its handlers run at once: engines of one process share
 * `overlap`, so the handler itself sees an overlap (the rows' timestamps cannot: now() is read
 * when a statement starts, before it waits on the unique index).
 */
export function overlapWatchedJob() {
  const overlap = { active: 0, maxActive: 0, runs: 0 };
  const job = defineJob({
    ...sleepyJob,
    async handler(config, ctx) {
      overlap.active += 1;
      overlap.runs += 1;
      overlap.maxActive = Math.max(overlap.maxActive, overlap.active);
      try {
        await sleepyJob.handler(config, ctx);
      } finally {
        overlap.active -= 1;
      }
    },
  });
  return { overlap, job };
}

export const sleepyRegistry: JobRegistry = {
  ...jobRegistry,
  tracked_player_updater: sleepyJob,
  player_analyzer: sleepyJob,
};

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

export type LogCapture = { logger: Logger; lines: Record<string, unknown>[] };

export function captureLogs(): LogCapture {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

export type EngineHandle = { engine: JobEngine; pubsub: RiftwatchPubSub; logs: LogCapture };

export async function startEngine(
  db: TestDatabase,
  options: {
    registry?: JobRegistry;
    schedulerEnabled?: boolean;
    intervalSeconds?: number;
    timeoutSeconds?: number;
    riot?: RiotClient;
    store?: JobStore;
    timings?: Partial<EngineTimings>;
  } = {},
): Promise<EngineHandle> {
  const logs = captureLogs();
  const { pubsub } = createEventBus({ logger: logs.logger });
  const engine = createJobEngine({
    prisma: db.prisma,
    databaseUrl: db.url,
    logger: logs.logger,
    pubsub,
    jobs: {
      schedulerEnabled: options.schedulerEnabled ?? true,
      intervalSeconds: options.intervalSeconds ?? 120,
      timeoutSeconds: options.timeoutSeconds ?? 30,
    },
    registry: options.registry ?? sleepyRegistry,
    riot: options.riot,
    store: options.store,
    timings: { ...FAST, ...options.timings },
  });
  await engine.start();
  return { engine, pubsub, logs };
}

export async function configId(db: TestDatabase, jobType: string): Promise<number> {
  const { rows } = await db.sql<{ id: number }>(
    'SELECT id FROM job_configurations WHERE job_type = $1',
    [jobType],
  );
  return (rows[0] as { id: number }).id;
}

export type ExecutionRow = {
  id: number;
  job_config_id: number;
  status: string;
  trigger: string;
  error_message: string | null;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
  heartbeat_at: Date | null;
  worker_id: string | null;
  api_requests_made: number;
  records_created: number;
  records_updated: number;
  progress: Record<string, unknown> | null;
  execution_log: unknown[];
};

export async function execution(db: TestDatabase, id: number): Promise<ExecutionRow | undefined> {
  const { rows } = await db.sql<ExecutionRow>('SELECT * FROM job_executions WHERE id = $1', [id]);
  return rows[0];
}

/** Waits until execution `id` has `status`, and returns its row. */
export function executionWithStatus(
  db: TestDatabase,
  id: number,
  status: string,
  timeoutMs: number,
  what: string,
): Promise<ExecutionRow> {
  return waitFor(
    async () => {
      const row = await execution(db, id);
      return row?.status === status ? row : null;
    },
    timeoutMs,
    what,
  );
}

/** A pending row as a process that died between insert and enqueue leaves it: no queued job. */
export async function insertOrphanPending(db: TestDatabase, configId: number): Promise<number> {
  const { rows } = await db.sql<{ id: number }>(
    `INSERT INTO job_executions (job_config_id, status, trigger) VALUES ($1, 'pending', 'manual') RETURNING id`,
    [configId],
  );
  return (rows[0] as { id: number }).id;
}
