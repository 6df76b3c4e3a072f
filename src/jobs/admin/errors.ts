import { AppError, ERROR_CODE } from '../../errors.ts';

export class JobNotFoundError extends AppError {
  override readonly name = 'JobNotFoundError';
  constructor(id: number) {
    super(ERROR_CODE.notFound, `Job configuration ${id} not found`);
  }
}

export class ExecutionNotFoundError extends AppError {
  override readonly name = 'ExecutionNotFoundError';
  constructor(id: number) {
    super(ERROR_CODE.notFound, `Job execution ${id} not found`);
  }
}

export class JobInputError extends AppError {
  override readonly name = 'JobInputError';
  /** `issues`: each problem at its path in the input (`['config', 'max_tracked_players']`). */
  constructor(
    message: string,
    readonly issues: { path: (string | number)[]; message: string }[] = [],
  ) {
    super(ERROR_CODE.invalidInput, message);
  }
}

export class ExecutionNotCancellableError extends AppError {
  override readonly name = 'ExecutionNotCancellableError';
  constructor(id: number, status: string) {
    super(
      ERROR_CODE.conflict,
      `Job execution ${id} is ${status}: only pending or running executions can be cancelled`,
    );
  }
}

/** A trigger (or a read of the schedules) reached a process whose job engine is stopping or not
 * started: nothing was queued. */
export class JobEngineStoppingError extends AppError {
  override readonly name = 'JobEngineStoppingError';
  constructor(
    what = 'the run was not queued; trigger it again once riftwatch runs',
    options?: ErrorOptions,
  ) {
    super(ERROR_CODE.unavailable, `riftwatch is stopping: ${what}`, options);
  }
}
