export { coerceError } from '../../errors.ts';

/** Thrown by enqueue() for a configuration id that does not exist. */
export class UnknownJobConfigurationError extends Error {
  override readonly name = 'UnknownJobConfigurationError';
  constructor(readonly jobConfigId: number) {
    super(`Job configuration ${jobConfigId} not found`);
  }
}

/** Thrown by enqueue() and nextRuns() once the engine began to stop (or before it started):
 * nothing was queued, nothing read. */
export class JobEngineNotRunningError extends Error {
  override readonly name = 'JobEngineNotRunningError';
  constructor(
    readonly phase: string,
    what = 'the run was not queued',
  ) {
    super(`Job engine is ${phase}: ${what}`);
  }
}

/** Abort reason at JOB_TIMEOUT_SECONDS. Its message is what `error_message` says. */
export class JobTimeoutError extends Error {
  override readonly name = 'JobTimeoutError';
  constructor(readonly seconds: number) {
    super(`Job timed out after ${seconds} s (JOB_TIMEOUT_SECONDS)`);
  }
}

/** Abort reason when the worker shuts down and the drain period ran out. */
export class JobShutdownError extends Error {
  override readonly name = 'JobShutdownError';
  constructor(drainMs: number) {
    super(
      `Cancelled: worker shutting down (drain period of ${Math.round(drainMs / 1000)} s ran out)`,
    );
  }
}

/**
 * Abort reason when the row stopped being this worker's running execution: cancelled by an
 * operator, failed by the emergency statement, deleted by the reset. The row already says why.
 */
export class ExecutionEndedElsewhereError extends Error {
  override readonly name = 'ExecutionEndedElsewhereError';
  constructor(executionId: number) {
    super(`Execution ${executionId} was ended outside this worker (cancelled, failed or deleted)`);
  }
}

/** True when an insert or update hit `job_executions_one_running_per_config`. */
export function isOneRunningViolation(error: unknown): boolean {
  const meta = (error as { meta?: unknown } | null)?.meta;
  const text = meta ? JSON.stringify(meta) : String((error as Error | null)?.message ?? '');
  return text.includes('job_executions_one_running_per_config');
}
