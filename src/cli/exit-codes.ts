import { CommanderError } from 'commander';
import { ApiError } from '../api-client/errors.ts';

/** What scripts can rely on. */
export const EXIT = {
  ok: 0,
  /** Anything else: server unreachable or stopping (UNAVAILABLE), unexpected error, a run that
   * failed or was cancelled. */
  failure: 1,
  /** Bad command line or invalid input (INVALID_INPUT). */
  usage: 2,
  notFound: 3,
  /** No or wrong admin token (UNAUTHENTICATED). */
  auth: 4,
  /** LIMIT_REACHED, CONFLICT or RATE_LIMITED. */
  limit: 5,
  /** A wait ended by Ctrl-C (SIGINT), as a shell reports a command it interrupted. */
  interrupted: 130,
  /** A wait ended by SIGTERM. */
  terminated: 143,
} as const;

const BY_CODE: Record<string, number> = {
  INVALID_INPUT: EXIT.usage,
  NOT_FOUND: EXIT.notFound,
  UNAUTHENTICATED: EXIT.auth,
  LIMIT_REACHED: EXIT.limit,
  CONFLICT: EXIT.limit,
  RATE_LIMITED: EXIT.limit,
  INTERRUPTED: EXIT.interrupted,
  TERMINATED: EXIT.terminated,
};

/** A command line that cannot work (found before anything is sent). */
export class UsageError extends ApiError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof ApiError) return BY_CODE[error.code] ?? EXIT.failure;
  // Help and --version end with exitCode 0 (`help`, `--help`); a command line that is wrong or
  // incomplete (help shown instead of running anything) with EXIT.usage.
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  return EXIT.failure;
}
