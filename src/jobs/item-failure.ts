import { endsTheRun, runError } from '../riot/run-errors.ts';
import type { JobContext } from './engine/index.ts';
import type { SoftDeadline } from './run-deadline.ts';

/**
 * What a job does when one item (a player, an account check) fails: an abort, or a Riot answer
 * every further request would meet too (a rejected key, a 429 past the retries), ends the run
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
