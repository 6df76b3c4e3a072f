import { endsTheRun, runError } from '../riot/run-errors.ts';
import type { JobContext } from './engine/index.ts';
import type { SoftDeadline } from './run-deadline.ts';

/**
 * What a job does when one item (a player, an account check) fails: an abort, or a Riot answer
 * that holds back every further request (a rejected key, an application 429 past the retries:
 * see endsTheRun), ends the run
 * (thrown); past the soft deadline the run stops there (`stop`: the rest is left for the next
 * run); otherwise the failure goes to execution_log and the run goes on (`next`).
 */
export function onItemFailure(
  ctx: Pick<JobContext, 'signal' | 'itemFailed'>,
  deadline: Pick<SoftDeadline, 'reached'>,
  item: string,
  error: unknown,
): 'stop' | 'next' {
  if (ctx.signal.aborted) throw ctx.signal.reason;
  if (endsTheRun(error)) throw runError(error);
  if (deadline.reached()) return 'stop';
  ctx.itemFailed(item, error);
  return 'next';
}

/**
 * A run that got nothing done: every item failed, or none could start before the timeout (Riot
 * not answering, say). Thrown at the end, so the run is `failed` and counts against the success
 * rate instead of passing for a quiet one; each failure is in execution_log already.
 */
export class NothingDoneError extends Error {
  override readonly name = 'NothingDoneError';
  constructor(
    summary: string,
    { failed, left, firstError }: { failed: number; left: number; firstError?: unknown },
  ) {
    const parts = [
      ...(failed > 0 ? [`${failed} failed`] : []),
      ...(left > 0 ? [`${left} left at the timeout`] : []),
    ];
    const first = firstError instanceof Error ? `; first error: ${firstError.message}` : '';
    super(`${summary} (${parts.join(', ') || 'none tried'})${first}`);
  }
}
