import type { Command } from 'commander';
import type { Io } from '../output.ts';
import { seconds, time } from '../output.ts';
import { action, executionsTable, positiveInt, sinceOption } from './shared.ts';

type ListOptions = {
  job?: string;
  status?: string;
  since?: string;
  limit: number;
  after?: string;
};

export function registerExecutions(program: Command, io: Io): void {
  const executions = program.command('executions').description('Job runs: list and inspect');

  executions
    .command('list')
    .description('Executions, newest first')
    .option('--job <job>', 'only this job (id or type)')
    .option('--status <status>', 'pending, running, success, failed or cancelled', (status) =>
      status.toLowerCase(),
    )
    .option(
      '--since <when>',
      'created since: a duration back (30m, 24h, 7d) or an ISO 8601 date-time (UTC without a zone)',
      sinceOption,
    )
    .option('--limit <n>', 'how many (1-100)', positiveInt('--limit'), 20)
    .option('--after <cursor>', 'the page after this one (its nextCursor, printed below it)')
    .addHelpText(
      'after',
      '\nExample:\n  riftwatch executions list --job player_analyzer --status failed --since 24h',
    )
    .action(
      action<ListOptions>(io, async ({ api, json, out }, o) => {
        const result = await api.listExecutions(o);
        if (json) return void out.json(result);
        out.line(executionsTable(out, result.executions));
        const next = result.nextCursor ? `; next page: --after ${result.nextCursor}` : '';
        out.line(`${result.executions.length} of ${result.totalCount}${next}`);
      }),
    );

  executions
    .command('show')
    .description('One execution: status, timing, counters, progress and failed items')
    .argument('<id>', 'execution id')
    .action(
      action<object, [string]>(io, async ({ api, json, out }, _o, id) => {
        const result = await api.getExecution(id);
        if (json) return void out.json(result);
        const e = result.execution;
        const progress =
          e.progress && `${e.progress.phase} ${e.progress.processed}/${e.progress.total ?? '?'}`;
        const rows: Array<[string, string | number | null]> = [
          ['id', e.databaseId],
          ['job', `${e.jobType} (${e.jobName})`],
          ['status', out.status(e.status)],
          ['trigger', e.trigger],
          ['created', time(e.createdAt)],
          ['started', time(e.startedAt)],
          ['completed', time(e.completedAt)],
          ['duration', seconds(e.durationSeconds)],
          ['progress', progress],
          ['API requests', e.apiRequestsMade],
          ['records created', e.recordsCreated],
          ['records updated', e.recordsUpdated],
          ['worker', e.workerId],
          ['error', e.errorMessage],
        ];
        out.line(out.table(['FIELD', 'VALUE'], rows));
        const log = e.log ?? [];
        if (log.length > 0) {
          out.line(
            out.table(
              ['ITEM', 'ERROR', 'AT'],
              log.map((l) => [l.item, l.error, time(l.at)]),
            ),
          );
        }
      }),
    );
}
