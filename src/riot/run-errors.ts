import {
  RiotForbiddenError,
  RiotRateLimitedError,
  RiotRedirectError,
  RiotUnauthorizedError,
} from './errors.ts';

/**
 * A job run stops on these: every further request would meet the same answer (a rejected key, a
 * redirect), or an application 429 (or one of a type we do not know) past the retries, which holds
 * back every request of the key. A method or service 429 concerns one endpoint of one routing
 * value: only that item fails.
 */
export function endsTheRun(error: unknown): boolean {
  if (error instanceof RiotRateLimitedError) {
    return error.limitType !== 'method' && error.limitType !== 'service';
  }
  return (
    error instanceof RiotUnauthorizedError ||
    error instanceof RiotForbiddenError ||
    error instanceof RiotRedirectError
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
