import { setTimeout as delay } from 'node:timers/promises';
import cliProgress from 'cli-progress';
import { EXECUTION_PROGRESS } from '../api-client/documents.ts';
import type { Execution, JobProgress } from '../api-client/types.ts';
import { isFinalStatus } from '../jobs/engine/status.ts';
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

/** How often the execution's row is read while its events are awaited. */
const RECHECK_MS = 5_000;

/**
 * The execution once its row is final, read every RECHECK_MS until `signal` aborts. Events reach
 * the server from its own workers, or through Redis: a run of another process without REDIS_URL,
 * or a row ended by SQL (an emergency stop), sends none. A failed read is retried: the
 * subscription reports a server that is gone.
 */
async function finalRow(ctx: CliContext, id: string, signal: AbortSignal): Promise<Execution> {
  for (;;) {
    await delay(RECHECK_MS, undefined, { signal });
    const read = await ctx.api.getExecution(id).catch(() => null);
    if (read && isFinalStatus(read.execution.status)) return read.execution;
  }
}

/**
 * Follows an execution over graphql-ws (`jobProgress(executionId)`: its current state first,
 * then every change, ending after its final status) and returns its final row, which is also
 * read now and then in case its events never come (see finalRow).
 */
export async function followExecution(ctx: CliContext, executionId: number): Promise<Execution> {
  const id = String(executionId);
  const client = wsClient(ctx.connection);
  const display = createDisplay(ctx);
  const stopChecking = new AbortController();
  const updates = subscribe<JobProgress>(client, ctx.connection, EXECUTION_PROGRESS, { id });
  const ended = finalRow(ctx, id, stopChecking.signal).then((execution) => ({ execution }));
  // Only the race below awaits it: an abort at the end is not a failure.
  ended.catch(() => {});
  let pending = updates.next();
  try {
    for (;;) {
      const next = await Promise.race([pending, ended]);
      if ('execution' in next) return next.execution;
      if (next.done) break;
      display.update(next.value);
      pending = updates.next();
    }
  } finally {
    // A read still waiting for an event ends with the socket, below.
    pending.catch(() => {});
    stopChecking.abort();
    display.stop();
    await client.dispose();
  }
  return (await ctx.api.getExecution(id)).execution;
}
