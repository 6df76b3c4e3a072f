import type { Command } from 'commander';
import type { RateLimitUsage } from '../../api-client/types.ts';
import type { Io, Output } from '../output.ts';
import { time } from '../output.ts';
import { action, executionsTable, jobsTable } from './shared.ts';

function rateLimitRows(usage: RateLimitUsage[]) {
  return usage.flatMap((u) =>
    u.windows.map((w) => [
      u.routing,
      w.scope,
      `${w.windowSeconds} s`,
      `${w.used}/${w.limit}`,
      `${w.percentage}%`,
    ]),
  );
}

function rateLimitTable(out: Output, usage: RateLimitUsage[]): string {
  return out.table(['ROUTING', 'SCOPE', 'WINDOW', 'USED', 'USE'], rateLimitRows(usage));
}

export function registerStatus(program: Command, io: Io): void {
  program
    .command('status')
    .description('Scheduler, jobs, running executions and Riot rate-limit usage')
    .action(
      action(io, async ({ api, json, out }) => {
        const status = await api.statusOverview();
        if (json) return void out.json(status);
        const scheduler = status.scheduler.enabled
          ? out.colors.green('enabled')
          : out.colors.yellow('disabled');
        out.line(
          `Scheduler ${scheduler} (worker ${status.scheduler.workerId}) at ${time(status.at)}`,
        );
        out.line(jobsTable(out, status.jobs));
        out.line(
          status.runningExecutions.length === 0
            ? 'No execution running.'
            : executionsTable(out, status.runningExecutions),
        );
        out.line(
          status.rateLimits.length === 0
            ? 'No Riot API request made yet.'
            : rateLimitTable(out, status.rateLimits),
        );
      }),
    );
}
