import type { z } from 'zod';
import type { PrismaClient } from '../../db/prisma.ts';
import type { RiftwatchPubSub } from '../../events/pubsub.ts';
import type { Logger } from '../../logger.ts';
import type { RiotClient } from '../../riot/client.ts';

/** The job types `job_configurations.job_type` may hold (its CHECK constraint lists the same). */
export const JOB_TYPES = [
  'tracked_player_updater',
  'player_analyzer',
  'execution_retention',
] as const;
export type JobType = (typeof JOB_TYPES)[number];

export { EXECUTION_STATUS, type ExecutionStatus } from './status.ts';

export const TRIGGER = { schedule: 'schedule', manual: 'manual' } as const;
export type Trigger = (typeof TRIGGER)[keyof typeof TRIGGER];

export type CounterName = 'apiRequestsMade' | 'recordsCreated' | 'recordsUpdated';
export type Counters = Record<CounterName, number>;

export type ProgressUpdate = {
  /** What the job is doing now, e.g. `players`, `matches`, `analysis`. */
  phase: string;
  processed?: number;
  /** Null when the total is not known. */
  total?: number | null;
};

/** What a handler gets besides its validated config. */
export type JobContext = {
  executionId: number;
  jobConfigId: number;
  jobType: JobType;
  trigger: Trigger;
  /** Child logger carrying job_type and execution_id. */
  logger: Logger;
  /** Aborted at JOB_TIMEOUT_SECONDS, on cancellation and on shutdown: pass it on, await everything. */
  signal: AbortSignal;
  /** Epoch ms at which `signal` aborts for the timeout (JOB_TIMEOUT_SECONDS after the start). */
  deadline: number;
  prisma: PrismaClient;
  /** Scoped to this run: background priority, this run's signal, every HTTP attempt counted. */
  riot: RiotClient;
  /** The pubsub seam, for a job's own events (e.g. `playerFlagged`). */
  pubsub: RiftwatchPubSub;
  /** Written to `job_executions.progress` (throttled) and published on `jobProgress`. */
  progress(update: ProgressUpdate): void;
  count(counter: Exclude<CounterName, 'apiRequestsMade'>, by?: number): void;
  /** One item failed without failing the run: appended to `execution_log`. */
  itemFailed(item: string, error: unknown): void;
};

export type JobHandler<TConfig> = (config: TConfig, ctx: JobContext) => Promise<void>;

/** What a job may do once a run of it succeeded. */
export type SuccessContext = {
  /**
   * Queues a scheduled run of every active configuration of `jobType`, unless one is already
   * queued (atomic across processes). Skipped while the scheduler is disabled or stopping.
   */
  enqueue(jobType: JobType): Promise<void>;
};

export type JobDefinition<TSchema extends z.ZodType = z.ZodType> = {
  description: string;
  /** Validates config_json: defaults for missing keys, unknown keys and wrong types rejected. */
  configSchema: TSchema;
  handler: JobHandler<z.output<TSchema>>;
  /** Runs after a successful run, e.g. to chain the job that consumes its output. */
  onSuccess?: (ctx: SuccessContext) => Promise<void>;
};

export type JobRegistry = { readonly [K in JobType]: JobDefinition };

/** Keeps the handler's config type tied to its schema while fitting the registry's shape. */
export function defineJob<TSchema extends z.ZodType>(
  definition: JobDefinition<TSchema>,
): JobDefinition {
  return definition as unknown as JobDefinition;
}
