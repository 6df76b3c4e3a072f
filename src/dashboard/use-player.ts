import { useEffect, useState } from 'preact/hooks';
import { debounce } from './debounce.ts';
import { EXECUTION_STATUS_CHANGED, PLAYER_FLAGGED, PLAYER_PAGE } from './documents.ts';
import type { Api } from './graphql.ts';
import { createRetry, isTransient } from './retry.ts';
import type { ExecutionStatus, PlayerDetail } from './types.ts';

export type PlayerState =
  | { state: 'loading' }
  | { state: 'missing' }
  /** `retrying`: the failure may pass (no answer, a server fault), so the page is read again. */
  | { state: 'failed'; error: string; retrying: boolean }
  /** `stale`: why the latest read failed; the page shows the last one read meanwhile. */
  | { state: 'loaded'; player: PlayerDetail; stale: string | null };

/**
 * The page after a failed read: a player once read stays shown (and is read again), or the
 * failure is the page.
 */
export function afterFailure(
  current: PlayerState,
  error: { message: string; code?: string | null },
): PlayerState {
  if (current.state === 'loaded') return { ...current, stale: error.message };
  return { state: 'failed', error: error.message, retrying: isTransient(error) };
}

/** Whether the page reads the player again by itself, after a failure. */
export const retries = (state: PlayerState) =>
  (state.state === 'loaded' && state.stale !== null) ||
  (state.state === 'failed' && state.retrying);

/**
 * One player's page, read again when something may have changed it: a run ending successfully
 * (the updater stores games and ranks, the analyzer adds analyses), this player being flagged,
 * or events that may have been lost (the socket was down, a subscription was made again); and
 * after a failed read, until one succeeds.
 */
export function usePlayer(api: Api, puuid: string): PlayerState {
  const [result, setResult] = useState<PlayerState>({ state: 'loading' });
  useEffect(() => {
    let alive = true;
    let current: PlayerState = { state: 'loading' };
    const show = (next: PlayerState) => {
      current = next;
      setResult(next);
    };
    show(current);
    const retry = createRetry(() => void load());
    const load = () =>
      api.request<{ player: PlayerDetail | null }>(PLAYER_PAGE, { puuid }).then(
        ({ player }) => {
          if (!alive) return;
          retry.succeeded();
          show(player ? { state: 'loaded', player, stale: null } : { state: 'missing' });
        },
        (error: Error & { code?: string | null }) => {
          if (!alive) return;
          show(afterFailure(current, error));
          if (retries(current)) retry.failed();
        },
      );
    const reload = debounce(() => void load(), 300);
    const stops = [
      reload.cancel,
      api.onMissed(reload),
      api.subscribe<{ executionStatusChanged: { status: ExecutionStatus } }>(
        EXECUTION_STATUS_CHANGED,
        (data) => {
          if (data.executionStatusChanged.status === 'success') reload();
        },
      ),
      api.subscribe<{ playerFlagged: { puuid: string } }>(PLAYER_FLAGGED, (data) => {
        if (data.playerFlagged.puuid === puuid) reload();
      }),
    ];
    void load();
    return () => {
      alive = false;
      retry.stop();
      for (const stop of stops) stop();
    };
  }, [api, puuid]);
  return result;
}
