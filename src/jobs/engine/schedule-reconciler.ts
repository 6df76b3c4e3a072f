import type { Agenda } from 'agenda';
import type { PrismaClient } from '../../db/prisma.ts';
import type { Logger } from '../../logger.ts';
import { parseJobConfig } from './config-validation.ts';
import { isWorkerGone } from './liveness.ts';
import {
  CRON_TIME_ZONE,
  isDefaultSchedule,
  latestNextRun,
  parseSchedule,
  type Schedule,
} from './schedule.ts';
import type { JobRegistry, JobType } from './types.ts';

export const SCHEDULED_PREFIX = 'job-config:';
export const scheduledJobName = (configId: number) => `${SCHEDULED_PREFIX}${configId}`;

export type ScheduledJobData = {
  configId: number;
  signature: string;
  /** The worker whose JOB_INTERVAL_SECONDS this is, for a row without a schedule of its own. */
  defaultOf?: string;
};

/** A row without a schedule of its own runs every JOB_INTERVAL_SECONDS. */
export const usesDefaultInterval = (row: { schedule: string | null }) =>
  isDefaultSchedule(row.schedule);

/**
 * Whether a stored schedule of a row without its own is another live worker's default interval.
 * Processes that disagree on JOB_INTERVAL_SECONDS (a rolling change) keep the first one stored
 * instead of rewriting each other's, which pushed the next run back every time: the job never
 * ran. Once that worker is gone, the stored default is replaced.
 */
export async function isOthersDefault(
  prisma: PrismaClient,
  workerId: string,
  data: ScheduledJobData | undefined,
): Promise<boolean> {
  if (data?.defaultOf === undefined || data.defaultOf === workerId) return false;
  if (!data.signature.startsWith('interval:')) return false;
  return !(await isWorkerGone(prisma, data.defaultOf));
}

/**
 * What a scheduled Agenda job was scheduled for: stored in its data, compared on every pass and
 * when it fires. The time zone is part of it: schedules stored before cron meant UTC are replaced.
 */
export function scheduleSignature(schedule: Schedule): string {
  return `${schedule.kind}:${schedule.agenda}${schedule.kind === 'cron' ? `:${CRON_TIME_ZONE}` : ''}`;
}

type ConfigCheck = { ok: true; schedule: Schedule; config: unknown } | { ok: false; error: string };

/** Validates one row: its job type, schedule and config_json. */
export function checkConfiguration(
  registry: JobRegistry,
  row: { jobType: string; schedule: string | null; configJson: unknown },
  intervalSeconds: number,
): ConfigCheck {
  const definition = registry[row.jobType as JobType];
  if (!definition) return { ok: false, error: `Unknown job type ${JSON.stringify(row.jobType)}` };
  let schedule: Schedule;
  try {
    schedule = parseSchedule(row.schedule, intervalSeconds);
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  const config = parseJobConfig(definition, row.configJson);
  return config.ok ? { ok: true, schedule, config: config.config } : config;
}

/**
 * Makes Agenda's recurring jobs match job_configurations: one `job-config:<id>` per active, valid
 * row, its interval or cron from `schedule`. Records each row's problem in `config_error` (null
 * when fine): an invalid row is unscheduled on its own. Idempotent and safe to run from several
 * processes at once. A process whose scheduler is disabled only validates: the schedules in the
 * shared store belong to the processes that run them.
 */
export async function reconcileSchedules(options: {
  prisma: PrismaClient;
  agenda: Agenda;
  registry: JobRegistry;
  intervalSeconds: number;
  schedulerEnabled: boolean;
  workerId: string;
  logger: Logger;
  /** `configId:signature` of the default-interval mismatches already warned about. */
  warned: Set<string>;
  ensureDefined(configId: number): void;
  /** Configurations to re-schedule even if their stored schedule looks current. */
  force?: ReadonlySet<number>;
}): Promise<{ scheduled: number[]; invalid: number[] }> {
  const { prisma, agenda, logger } = options;
  const rows = await prisma.jobConfiguration.findMany({ orderBy: { id: 'asc' } });
  const existing = await agenda.queryJobs({ search: SCHEDULED_PREFIX });
  const byName = new Map(existing.jobs.filter((j) => j.type === 'single').map((j) => [j.name, j]));
  const scheduled: number[] = [];
  const invalid: number[] = [];

  for (const row of rows) {
    const check = checkConfiguration(options.registry, row, options.intervalSeconds);
    const error = check.ok ? null : check.error;
    if (row.configError !== error) {
      // Conditional: another process may have just written the same value.
      await prisma.$executeRaw`UPDATE job_configurations SET config_error = ${error}
        WHERE id = ${row.id} AND config_error IS DISTINCT FROM ${error}`;
      if (error)
        logger.warn(
          { job_config_id: row.id, name: row.name, reason: error },
          'Job configuration invalid: not scheduled',
        );
      else logger.info({ job_config_id: row.id, name: row.name }, 'Job configuration valid again');
    }
    if (!check.ok) invalid.push(row.id);
    if (!options.schedulerEnabled) continue;
    const name = scheduledJobName(row.id);
    const current = byName.get(name);
    byName.delete(name);
    if (!check.ok || !row.isActive) {
      if (current) await agenda.cancel({ name });
      continue;
    }
    options.ensureDefined(row.id);
    scheduled.push(row.id);
    const signature = scheduleSignature(check.schedule);
    const data = current?.data as ScheduledJobData | undefined;
    // A run in progress when the schedule changed writes back, as it ends, the next run it
    // computed from the old schedule: a next run later than the new schedule allows is repaired.
    const late =
      current?.nextRunAt != null &&
      new Date(current.nextRunAt).getTime() >
        latestNextRun(check.schedule, new Date()).getTime() + 1000;
    // every() recomputes next_run_at: only call it when the schedule really changed.
    const forced = options.force?.has(row.id) ?? false;
    if (current && data?.signature === signature && !current.disabled && !late && !forced) continue;
    const byDefault = usesDefaultInterval(row);
    if (
      current &&
      !current.disabled &&
      byDefault &&
      data?.signature !== signature &&
      (await isOthersDefault(prisma, options.workerId, data))
    ) {
      const key = `${row.id}:${data?.signature}`;
      if (!options.warned.has(key)) {
        options.warned.add(key);
        logger.warn(
          {
            job_config_id: row.id,
            name: row.name,
            stored: data?.signature,
            own: signature,
            worker_id: data?.defaultOf,
          },
          'JOB_INTERVAL_SECONDS differs from another running process: keeping its schedule',
        );
      }
      continue;
    }
    await agenda.every(
      check.schedule.agenda,
      name,
      {
        configId: row.id,
        signature,
        ...(byDefault && { defaultOf: options.workerId }),
      } satisfies ScheduledJobData,
      {
        skipImmediate: true,
        ...(check.schedule.kind === 'cron' && { timezone: CRON_TIME_ZONE }),
      },
    );
    logger.info(
      { job_config_id: row.id, name: row.name, schedule: check.schedule.description },
      'Job scheduled',
    );
  }
  // Rows deleted (or truncated) since the last pass.
  if (options.schedulerEnabled) for (const name of byName.keys()) await agenda.cancel({ name });
  return { scheduled, invalid };
}
