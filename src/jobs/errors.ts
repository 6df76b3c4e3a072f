import { coerceError } from '../riot/errors.ts';

export { coerceError };

/** Stable codes for expected failures of the job use-cases (SPEC §5 error codes). */
export const JOB_ERROR_CODE = {
  notFound: 'NOT_FOUND',
  invalidInput: 'INVALID_INPUT',
  conflict: 'CONFLICT',
} as const;
export type JobErrorCode = (typeof JOB_ERROR_CODE)[keyof typeof JOB_ERROR_CODE];

/** An expected failure of a job use-case; nothing was changed. */
export class JobOperationError extends Error {
  override readonly name: string = 'JobOperationError';
  constructor(
    readonly code: JobErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export class JobNotFoundError extends JobOperationError {
  override readonly name = 'JobNotFoundError';
  constructor(id: number) {
    super(JOB_ERROR_CODE.notFound, `Job configuration ${id} not found`);
  }
}

export class ExecutionNotFoundError extends JobOperationError {
  override readonly name = 'ExecutionNotFoundError';
  constructor(id: number) {
    super(JOB_ERROR_CODE.notFound, `Job execution ${id} not found`);
  }
}

export class JobInputError extends JobOperationError {
  override readonly name = 'JobInputError';
  constructor(message: string) {
    super(JOB_ERROR_CODE.invalidInput, message);
  }
}

export class ExecutionNotCancellableError extends JobOperationError {
  override readonly name = 'ExecutionNotCancellableError';
  constructor(id: number, status: string) {
    super(
      JOB_ERROR_CODE.conflict,
      `Job execution ${id} is ${status}: only pending or running executions can be cancelled`,
    );
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
