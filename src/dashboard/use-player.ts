import { useEffect, useState } from 'preact/hooks';
import { EXECUTION_STATUS, PLAYER_FLAGGED, PLAYER_PAGE } from './documents.ts';
import type { Api } from './graphql.ts';
import type { ExecutionStatus, PlayerDetail } from './types.ts';

export type PlayerState =
  | { state: 'loading' }
  | { state: 'missing' }
  | { state: 'failed'; error: string }
  | { state: 'loaded'; player: PlayerDetail };

/**
 * One player's page, read again when something may have changed it: a run ending successfully
 * (the updater stores games and ranks, the analyzer adds analyses), this player being flagged,
 * or the socket coming back after a disconnect.
 */
export function usePlayer(api: Api, puuid: string): PlayerState {
  const [result, setResult] = useState<PlayerState>({ state: 'loading' });
  useEffect(() => {
    let alive = true;
    setResult({ state: 'loading' });
    const load = () =>
      api.request<{ player: PlayerDetail | null }>(PLAYER_PAGE, { puuid }).then(
        ({ player }) => {
          if (alive) setResult(player ? { state: 'loaded', player } : { state: 'missing' });
        },
        (error: Error) => {
          if (alive) setResult({ state: 'failed', error: error.message });
        },
      );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reload = () => {
      clearTimeout(timer);
      timer = setTimeout(load, 300);
    };
    const stops = [
      api.onReconnect(reload),
      api.subscribe<{ executionStatusChanged: { status: ExecutionStatus } }>(
        EXECUTION_STATUS,
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
      clearTimeout(timer);
      for (const stop of stops) stop();
    };
  }, [api, puuid]);
  return result;
}
