import type { Command } from 'commander';
import { ApiError } from '../../api-client/errors.ts';
import { UsageError } from '../exit-codes.ts';
import { followExecution } from '../follow.ts';
import { type Io, percent, seconds } from '../output.ts';
import { action, type CliState, collect, jobsTable, sinceOption } from './shared.ts';

type ConfigureOptions = {
  active?: boolean;
  inactive?: boolean;
  schedule?: string;
  set: string[];
  replace?: boolean;
};

/** `key=value` → [key, value]; the value is JSON when it parses (numbers, booleans), else text. */
function setting(text: string): [string, unknown] {
  const at = text.indexOf('=');
  if (at < 1) throw new UsageError(`--set expects key=value, not ${JSON.stringify(text)}`);
  const raw = text.slice(at + 1);
  try {
    return [text.slice(0, at), JSON.parse(raw)];
  } catch {
    return [text.slice(0, at), raw];
  }
}

/** The --set options as one config object; a key given twice is refused, not one value picked. */
function settings(texts: string[]): Record<string, unknown> | undefined {
  if (texts.length === 0) return undefined;
  const entries = texts.map(setting);
  const keys = entries.map(([key]) => key);
  const repeated = keys.find((key, i) => keys.indexOf(key) !== i);
  if (repeated !== undefined) {
    throw new UsageError(`--set ${JSON.stringify(repeated)} given more than once`);
  }
  return Object.fromEntries(entries);
}

/** A failure once the run is queued: it carries the execution's id, so no script queues it again. */
function withExecutionId(error: unknown, executionId: number): ApiError {
  const known =
    error instanceof ApiError
      ? error
      : new ApiError('INTERNAL', error instanceof Error ? error.message : String(error));
  return new ApiError(known.code, known.message, { ...known.details, executionId });
}

export function registerJobs(program: Command, io: Io, state: CliState): void {
  const jobs = program.command('jobs').description('List, trigger, configure and cancel jobs');

  jobs
    .command('list')
    .description('Every job with its schedule, last and next run')
    .action(
      action(io, async ({ api, json, out }) => {
        const result = await api.listJobs();
        if (json) return void out.json(result);
        out.line(jobsTable(out, result.jobs));
      }),
    );

  jobs
    .command('trigger')
    .description('Queue a run now and print its execution id')
    .argument('<job>', 'job id or type, e.g. 1 or tracked_player_updater')
    .option('-w, --wait', "show the run's progress; exit with its outcome (0 success, 1 not)")
    .addHelpText(
      'after',
      '\nWith --wait, a failure after the run was queued still names its execution id (in\n' +
        "--json: the error's executionId), and Ctrl-C stops the wait, not the run (exit 130).\n" +
        'Without live progress (the server refuses it, or it breaks off) the run is read every\n' +
        '5 s, until the server has not answered for --timeout.\n' +
        '\nExample:\n  riftwatch jobs trigger tracked_player_updater --wait',
    )
    .action(
      action<{ wait?: boolean }, [string]>(io, async (ctx, options, job) => {
        const { api, json, out } = ctx;
        const result = await api.triggerJob(job);
        const queued = `Queued execution ${result.executionId} of ${result.execution.jobType}`;
        if (!options.wait) {
          if (json) return void out.json(result);
          return void out.line(queued);
        }
        if (!json) out.note(queued);
        const e = await followExecution(ctx, result.executionId).catch((error: unknown) => {
          throw withExecutionId(error, result.executionId);
        });
        state.exitCode = e.status === 'success' ? 0 : 1;
        if (json) return void out.json({ executionId: result.executionId, execution: e });
        const error = e.errorMessage ? ` (${e.errorMessage})` : '';
        out.line(
          `Execution ${e.databaseId} ${out.status(e.status)} in ${seconds(e.durationSeconds) ?? '-'}: ` +
            `${e.recordsCreated} created, ${e.recordsUpdated} updated, ` +
            `${e.apiRequestsMade} API requests${error}`,
        );
      }),
    );

  jobs
    .command('configure')
    .description("Change a job's active flag, schedule or config (applies from its next run)")
    .argument('<job>', 'job id or type')
    .option('--active', 'run on its schedule')
    .option('--inactive', 'do not run on its schedule (manual triggers still run)')
    .option('--schedule <schedule>', 'seconds, interval:N, "5 minutes" or cron; "" for the default')
    .option(
      '--set <key=value>',
      'a config key (repeatable; JSON values when they parse)',
      collect,
      [],
    )
    .option(
      '--replace',
      'the --set keys become the whole config (default: merged into it); without --set, the config is reset to the defaults',
    )
    .addHelpText(
      'after',
      '\nExample:\n  riftwatch jobs configure tracked_player_updater --schedule 180 \\\n' +
        '    --set max_new_matches_per_player=10',
    )
    .action(
      action<ConfigureOptions, [string]>(io, async ({ api, json, out }, o, job) => {
        if (o.active && o.inactive) throw new UsageError('Give --active or --inactive, not both');
        const config = settings(o.set);
        if (!o.active && !o.inactive && o.schedule === undefined && !config && !o.replace) {
          throw new UsageError(
            'Nothing to change: give --active, --inactive, --schedule, --set or --replace',
          );
        }
        const result = await api.configureJob(job, {
          ...((o.active || o.inactive) && { isActive: o.active === true }),
          ...(o.schedule !== undefined && { schedule: o.schedule }),
          ...((config || o.replace) && {
            config: config ?? {},
            mode: o.replace ? ('REPLACE' as const) : ('MERGE' as const),
          }),
        });
        if (json) return void out.json(result);
        out.line(jobsTable(out, [result.job]));
        out.line(`config: ${JSON.stringify(result.job.config)}`);
      }),
    );

  jobs
    .command('cancel')
    .description('Cancel a pending or running execution')
    .argument('<execution-id>', 'execution id')
    .action(
      action<object, [string]>(io, async ({ api, json, out }, _o, id) => {
        const result = await api.cancelExecution(id);
        if (json) return void out.json(result);
        out.line(
          `Cancelled execution ${result.execution.databaseId} (was ${result.previousStatus})`,
        );
      }),
    );

  jobs
    .command('stats')
    .description('Per job type: runs, success rate, duration and API requests')
    .option(
      '--since <when>',
      'a duration back (30m, 24h, 7d) or an ISO 8601 date-time (UTC without a zone)',
      sinceOption,
      '24h',
    )
    .action(
      action<{ since: string }>(io, async ({ api, json, out }, { since }) => {
        const result = await api.jobStats(since);
        if (json) return void out.json(result);
        const head = [
          'TYPE',
          'RUNS',
          'SUCCESS',
          'FAILED',
          'RATE',
          'AVG TIME',
          'AVG API',
          'MAX API',
        ];
        const rows = result.stats.map((s) => [
          s.jobType,
          s.totalExecutions,
          s.successful,
          s.failed,
          percent(s.successRate),
          seconds(s.avgDurationSeconds),
          s.avgApiRequests == null ? null : Math.round(s.avgApiRequests * 10) / 10,
          s.maxApiRequests,
        ]);
        out.line(out.table(head, rows));
      }),
    );
}
