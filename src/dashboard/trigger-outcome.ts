// What a Trigger button tells the operator after a try, and for how long.
import { secondsLeft } from './clock.ts';
import { RequestError } from './request.ts';

export type TriggerOutcome =
  /** The run was queued: it may have run and ended since, which the Executions panel shows. */
  | { kind: 'triggered'; message: string }
  /** Refused for a reason a retry will not change by itself: stays until the next try. */
  | { kind: 'refused'; message: string }
  /** No answer (or not GraphQL): stays until the server is back. */
  | { kind: 'unreachable'; message: string }
  /** The mutation budget is spent: no trigger until `until` (the browser's clock). */
  | { kind: 'throttled'; until: number };

export function outcomeOfError(error: unknown, now: number): TriggerOutcome {
  if (error instanceof RequestError) {
    if (error.code === 'RATE_LIMITED' && error.retryAfter !== null && error.retryAfter > 0)
      return { kind: 'throttled', until: now + error.retryAfter * 1000 };
    if (error.code === null) return { kind: 'unreachable', message: error.message };
  }
  return { kind: 'refused', message: (error as Error).message };
}

/** The outcome's words at `now`; null once it has nothing left to say. */
export function outcomeText(outcome: TriggerOutcome, now: number): string | null {
  if (outcome.kind !== 'throttled') return outcome.message;
  const left = secondsLeft(outcome.until, now);
  return left > 0 ? `Too many mutations: retry in ${left} s` : null;
}
