import cliProgress from 'cli-progress';
import { EXECUTION_PROGRESS } from '../api-client/documents.ts';
import type { Execution, JobProgress } from '../api-client/types.ts';
import type { CliContext } from './context.ts';
import { subscribe, wsClient } from './transport.ts';

type Display = { update(p: JobProgress): void; stop(): void };

/** A progress bar on a terminal; elsewhere one line per change (none with --json). */
function createDisplay(ctx: CliContext): Display {
  const stream = ctx.io.stderr;
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: '{bar} {percentage}% | {phase} {value}/{total} | {status}',
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(p) {
        const payload = { phase: p.phase ?? '-', status: p.status };
        const total = p.total ?? Math.max(p.processed, 1);
        if (!started) {
          bar.start(total, p.processed, payload);
          started = true;
        } else {
          bar.setTotal(total);
          bar.update(p.processed, payload);
        }
      },
      stop: () => started && bar.stop(),
    };
  }
  let last = '';
  return {
    update(p) {
      if (ctx.json) return;
      const of = p.total === null ? '' : `/${p.total}`;
      const text = `${p.status}${p.phase ? ` ${p.phase} ${p.processed}${of}` : ''}`;
      if (text !== last) stream.write(`  ${text}\n`);
      last = text;
    },
    stop: () => {},
  };
}

/**
 * Follows an execution over graphql-ws (`jobProgress(executionId)`: its current state first,
 * then every change, ending after its final status) and returns its final row.
 */
export async function followExecution(ctx: CliContext, executionId: number): Promise<Execution> {
  const client = wsClient(ctx.connection);
  const display = createDisplay(ctx);
  try {
    const updates = subscribe<JobProgress>(client, ctx.connection, EXECUTION_PROGRESS, {
      id: String(executionId),
    });
    for await (const progress of updates) display.update(progress);
  } finally {
    display.stop();
    await client.dispose();
  }
  return (await ctx.api.getExecution(String(executionId))).execution;
}
