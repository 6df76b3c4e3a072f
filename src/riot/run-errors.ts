import {
  RiotForbiddenError,
  RiotRateLimitedError,
  RiotRedirectError,
  RiotUnauthorizedError,
} from './errors.ts';

/** A job run stops on these: every further request would meet the same answer. */
export function endsTheRun(error: unknown): boolean {
  return (
    error instanceof RiotUnauthorizedError ||
    error instanceof RiotForbiddenError ||
    error instanceof RiotRedirectError ||
    error instanceof RiotRateLimitedError
  );
}

/** The error a run fails with: a rejected key says so in words an operator acts on. */
export function runError(error: unknown): unknown {
  if (error instanceof RiotUnauthorizedError || error instanceof RiotForbiddenError) {
    return new Error(
      `Riot API key is invalid or expired (HTTP ${error.status}: ${error.message}); the run stopped`,
      { cause: error },
    );
  }
  return error;
}
