import type { Command } from 'commander';
import { parseSince } from '../../api-client/since.ts';
import type { Execution, Job } from '../../api-client/types.ts';
import { type CliContext, contextOf } from '../context.ts';
import { UsageError } from '../exit-codes.ts';
import { type Io, type Output, seconds, time } from '../output.ts';

export type CliState = {
  /** Exit code a command may set besides throwing (e.g. the outcome of a run it waited for). */
  exitCode: number;
  /** Set by a command whose --json output is one object per line (`watch`). */
  streaming?: boolean;
};

/**
 * A commander action as `(context, options, ...arguments)`; whatever it throws is reported by
 * main() with its exit code.
 */
export const action =
  <O, A extends string[] = []>(
    io: Io,
    run: (ctx: CliContext, options: O, ...args: A) => Promise<void>,
  ) =>
  async (...params: unknown[]) => {
    const command = params.at(-1) as Command;
    await run(contextOf(command, io), params.at(-2) as O, ...(params.slice(0, -2) as A));
  };

export function positiveInt(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 100) {
      throw new UsageError(`${name} must be a whole number from 1 to 100, not ${value}`);
    }
    return Number(value);
  };
}

/** --since checked as it is read: a mistake in it is the command line's. */
export function sinceOption(value: string): string {
  try {
    parseSince(value, Date.now(), '--since');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return value;
}

export const collect = (value: string, previous: string[]) => [...previous, value];

export function jobsTable(out: Output, jobs: Job[]): string {
  return out.table(
    ['ID', 'TYPE', 'NAME', 'ACTIVE', 'SCHEDULE', 'LAST RUN', 'NEXT RUN'],
    jobs.map((j) => [
      j.databaseId,
      j.jobType,
      j.name,
      j.isActive ? 'yes' : 'no',
      j.configError ? `invalid: ${j.configError}` : j.scheduleDescription,
      j.lastRun ? `${out.status(j.lastRun.status)} ${time(j.lastRun.completedAt) ?? ''}` : null,
      time(j.nextRunAt),
    ]),
  );
}

export function executionsTable(out: Output, executions: Execution[]): string {
  return out.table(
    [
      'ID',
      'JOB',
      'STATUS',
      'TRIGGER',
      'STARTED',
      'DURATION',
      'PROGRESS',
      'API',
      'CREATED',
      'UPDATED',
    ],
    executions.map((e) => [
      e.databaseId,
      e.jobType,
      out.status(e.status),
      e.trigger,
      time(e.startedAt),
      seconds(e.durationSeconds),
      e.progress ? `${e.progress.phase} ${e.progress.processed}/${e.progress.total ?? '?'}` : null,
      e.apiRequestsMade,
      e.recordsCreated,
      e.recordsUpdated,
    ]),
  );
}
