import { setTimeout as delay } from 'node:timers/promises';
import cliProgress from 'cli-progress';
import type { Client } from 'graphql-ws';
import { EXECUTION_PROGRESS } from '../api-client/documents.ts';
import { ApiError } from '../api-client/errors.ts';
import type { Execution, JobProgress } from '../api-client/types.ts';
import { isFinalStatus } from '../jobs/engine/status.ts';
import type { CliContext } from './context.ts';
import { subscribe, wsClient } from './transport.ts';

type Display = { update(p: JobProgress): void; stop(): void };

/** A progress bar on a terminal; elsewhere one line per change; nothing with --json. */
function createDisplay(ctx: CliContext): Display {
  const stream = ctx.io.stderr;
  if (ctx.json) return { update: () => {}, stop: () => {} };
  if (stream.isTTY) {
    // It hides the cursor and turns line wrap off until stop(), which must run however the wait
    // ends (see interruption).
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

/** Failed reads worth repeating: the server or the way to it, not the request. */
const TRANSIENT = new Set(['UNAVAILABLE', 'RATE_LIMITED', 'INTERNAL_SERVER_ERROR']);

/** The execution's row; one that is gone is said so (a TRUNCATE, a job state reset). */
async function readRow(ctx: CliContext, id: string): Promise<Execution> {
  try {
    return (await ctx.api.getExecution(id)).execution;
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'NOT_FOUND') throw error;
    throw new ApiError('NOT_FOUND', `Execution ${id} no longer exists: its row was deleted`);
  }
}

type Live = {
  /** Since when live progress is gone (refused or broken off), or null while it is up. */
  downSince: number | null;
};

/**
 * The execution once its row is final, read every RECHECK_MS until `signal` aborts. Events reach
 * the server from its own workers, or through Redis: a run of another process without REDIS_URL,
 * or a row ended by SQL (an emergency stop), sends none. A row gone (a TRUNCATE, a job state
 * reset) ends the wait; a failed read is retried, while live progress is up or until the server
 * has not answered for the timeout since it went down.
 */
async function finalRow(
  ctx: CliContext,
  id: string,
  live: Live,
  signal: AbortSignal,
): Promise<Execution> {
  let answeredAt = Date.now();
  for (;;) {
    await delay(RECHECK_MS, undefined, { signal });
    try {
      const execution = await readRow(ctx, id);
      answeredAt = Date.now();
      if (isFinalStatus(execution.status)) return execution;
    } catch (error) {
      if (!(error instanceof ApiError) || !TRANSIENT.has(error.code)) throw error;
      const silentSince = live.downSince === null ? null : Math.max(answeredAt, live.downSince);
      if (silentSince !== null && Date.now() - silentSince >= ctx.connection.timeoutMs) throw error;
    }
  }
}

const never = () => new Promise<never>(() => {});

/** What a wait reports of a run that ended: its row, or what its final event said of it. */
export type EndedRun = Pick<
  Execution,
  | 'databaseId'
  | 'jobId'
  | 'jobType'
  | 'status'
  | 'durationSeconds'
  | 'apiRequestsMade'
  | 'recordsCreated'
  | 'recordsUpdated'
  | 'errorMessage'
>;

function endedRunOf(p: JobProgress): EndedRun {
  const { jobId, jobType, status, apiRequestsMade, recordsCreated, recordsUpdated } = p;
  return {
    databaseId: Number(p.executionId),
    jobId,
    jobType,
    status,
    durationSeconds: null,
    apiRequestsMade,
    recordsCreated,
    recordsUpdated,
    errorMessage: p.errorMessage,
  };
}

/**
 * Shows the execution's events (`jobProgress(executionId)`: its current state first, then every
 * change, ending after its final status) and returns its final row once they have ended. Should
 * they be refused or break off, says so and never returns: finalRow is left to end the wait.
 */
async function liveEnd(
  ctx: CliContext,
  client: Client,
  id: string,
  display: Display,
  live: Live,
  done: AbortSignal,
): Promise<EndedRun> {
  const events = subscribe<JobProgress>(client, ctx.connection, EXECUTION_PROGRESS, { id });
  let last: JobProgress | undefined;
  try {
    for await (const p of events) {
      if (!done.aborted) display.update(p);
      last = p;
    }
    if (!done.aborted && !(last && isFinalStatus(last.status))) {
      throw new Error('the server ended them before the run ended');
    }
  } catch (error) {
    // The socket closed at the end of the wait.
    if (done.aborted) return never();
    live.downSince = Date.now();
    display.stop();
    if (!ctx.json) {
      ctx.out.note(
        `No live progress (${(error as Error).message}): reading execution ${id} every ${RECHECK_MS / 1000} s`,
      );
    }
    return never();
  }
  if (done.aborted) return never();
  try {
    return await readRow(ctx, id);
  } catch (error) {
    // A server that is stopping answers no more requests while its runs drain, but it sent the
    // run's final event, which says how the run ended.
    if (!(error instanceof ApiError) || !TRANSIENT.has(error.code) || !last) throw error;
    return endedRunOf(last);
  }
}

/**
 * Ctrl-C or SIGTERM while waiting: rejects so that the wait ends through its `finally` (the
 * terminal restored, the socket closed); the run goes on.
 */
function interruption() {
  let stop: (signal: NodeJS.Signals) => void = () => {};
  const interrupted = new Promise<never>((_resolve, reject) => {
    stop = (signal) =>
      reject(
        new ApiError(
          signal === 'SIGINT' ? 'INTERRUPTED' : 'TERMINATED',
          `Stopped waiting (${signal}): the run goes on`,
        ),
      );
  });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    interrupted,
    dispose() {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

/**
 * Follows an execution over graphql-ws and returns its final row, which is also read now and
 * then in case its events never come, or the live connection is refused or lost (see finalRow).
 * A row that cannot be read once the final event came (a server stopping) is told by the event.
 */
export async function followExecution(ctx: CliContext, executionId: number): Promise<EndedRun> {
  const id = String(executionId);
  const client = wsClient(ctx.connection);
  const display = createDisplay(ctx);
  const done = new AbortController();
  const live: Live = { downSince: null };
  const signals = interruption();
  try {
    return await Promise.race([
      liveEnd(ctx, client, id, display, live, done.signal),
      finalRow(ctx, id, live, done.signal),
      signals.interrupted,
    ]);
  } finally {
    done.abort();
    signals.dispose();
    display.stop();
    await client.dispose();
  }
}
