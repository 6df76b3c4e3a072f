import type { Command } from 'commander';
import { ALL_PROGRESS, RATE_LIMIT_USAGE } from '../../api-client/documents.ts';
import { ApiError } from '../../api-client/errors.ts';
import type { JobProgress, RateLimitUsage } from '../../api-client/types.ts';
import type { CliContext } from '../context.ts';
import type { Io } from '../output.ts';
import { subscribe, wsClient } from '../transport.ts';
import { action, type CliState } from './shared.ts';

/** `2026-01-02T03:04:05.678Z` → `03:04:05Z` (UTC, marked as the tables mark it). */
const clock = (iso: string) => `${iso.slice(11, 19)}Z`;

function progressLine(ctx: CliContext, p: JobProgress): string {
  const id = Buffer.from(p.executionId, 'base64').toString('utf8').split(':')[1] ?? p.executionId;
  const step = p.phase ? ` ${p.phase} ${p.processed}${p.total === null ? '' : `/${p.total}`}` : '';
  const counters = `api ${p.apiRequestsMade}, ${p.recordsCreated} created, ${p.recordsUpdated} updated`;
  const error = p.errorMessage ? ` ${ctx.out.colors.red(p.errorMessage)}` : '';
  return `${clock(p.at)} execution ${id} ${p.jobType} ${ctx.out.status(p.status)}${step} (${counters})${error}`;
}

function usageLine(u: RateLimitUsage): string {
  const windows = u.windows
    .map((w) => `${w.scope} ${w.used}/${w.limit} per ${w.windowSeconds} s`)
    .join(', ');
  return `${clock(u.at)} rate-limit ${u.routing}: ${windows}`;
}

/** Live executions and rate-limit usage until Ctrl-C; `--json`: one JSON object per line. */
export function registerWatch(program: Command, io: Io, state: CliState): void {
  const watch = program
    .command('watch')
    .description('Live executions (progress, status) and Riot rate-limit usage, until Ctrl-C')
    .addHelpText(
      'after',
      '\nWith --json, one {"event": "progress" | "rateLimit", "data": …} per line.',
    )
    .action(
      action(io, async (ctx) => {
        const client = wsClient(ctx.connection);
        let stopping = false;
        const stop = () => {
          stopping = true;
          client.terminate();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        client.on('connected', () => {
          if (!ctx.json) ctx.out.note('Watching executions and rate limits (Ctrl-C to stop)');
        });
        const emit = (event: string, data: unknown, text: string) =>
          ctx.json
            ? ctx.io.stdout.write(`${JSON.stringify({ event, data })}\n`)
            : ctx.out.line(text);
        const follow = async <T>(query: string, show: (item: T) => void) => {
          for await (const item of subscribe<T>(client, ctx.connection, query)) show(item);
        };
        try {
          await Promise.all([
            follow<JobProgress>(ALL_PROGRESS, (p) => emit('progress', p, progressLine(ctx, p))),
            follow<RateLimitUsage>(RATE_LIMIT_USAGE, (u) => emit('rateLimit', u, usageLine(u))),
          ]);
          if (!stopping) throw new ApiError('UNAVAILABLE', 'The server ended the subscriptions');
        } catch (error) {
          if (!stopping) throw error;
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          await client.dispose();
        }
      }),
    );
  // Chosen before its options are read, so that a mistake in them is an NDJSON line too.
  program.hook('preSubcommand', (_program, chosen) => {
    if (chosen === watch) state.streaming = true;
  });
}
