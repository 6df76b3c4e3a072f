import { useCallback, useEffect, useReducer, useRef } from 'preact/hooks';
import { isFinalStatus } from '../jobs/engine/status.ts';
import { debounce } from './debounce.ts';
import {
  EXECUTION_BY_ID,
  EXECUTION_STATUS_CHANGED,
  JOB_PROGRESS,
  JOBS,
  OVERVIEW,
  PLAYER_FLAGGED,
  PLAYERS,
  RATE_LIMIT_USAGE,
  TRACKED_PLAYERS,
} from './documents.ts';
import type { Api } from './graphql.ts';
import { createRefresh, REFRESH_MS } from './refresh.ts';
import { createRetry } from './retry.ts';
import {
  initialOverview,
  type PlayerLists,
  type ReadSource,
  reduceOverview,
  type Snapshot,
} from './state.ts';
import { withShownPages } from './tracked-pages.ts';
import type {
  Execution,
  Job,
  PlayerSummary,
  Progress,
  RateLimit,
  StatusChange,
  TrackedPage,
} from './types.ts';

/** The page of tracked players after the cursor `after`. */
const readTrackedPage = (api: Api, after: string) =>
  api.request<{ tracked: TrackedPage }>(TRACKED_PLAYERS, { after }).then(({ tracked }) => tracked);

/**
 * The overview: a snapshot query, then subscriptions. A status change brings that execution's row
 * (duration and counters are not in the event), the jobs' last and next runs, and after a final
 * status the tracked and flagged players (a new analysis may clear a flag, which no event
 * reports); the tracked players shown past the first page are read again with it. When events
 * may have been lost (the socket was down, a subscription was made again) the snapshot is read
 * again. It is also read again `refreshMs` after the last successful read while the tab is
 * shown, and at once when a hidden tab is shown again: events the server lost while the socket
 * stayed up are mended then. A failed read is retried by reading the snapshot again, sooner at
 * first, then at most every 15 s, until one succeeds.
 *
 * Returns the state, its dispatch, and `showMore`, which adds the page of tracked players that
 * starts at its cursor (its failure is the caller's to show).
 */
export function useOverview(api: Api, refreshMs = REFRESH_MS) {
  const [state, dispatch] = useReducer(reduceOverview, initialOverview);
  // How many tracked players are shown, for a read of the first page to read as many again.
  const shownPlayers = useRef(0);
  shownPlayers.current = state.tracked.players.length;
  useEffect(() => {
    let alive = true;
    const retry = createRetry(() => void load());
    const refresh = createRefresh(() => void load(), refreshMs);
    const onVisibility = () => refresh.visibility(document.visibilityState === 'visible');
    const failed = (source: ReadSource) => (error: unknown) => {
      if (!alive) return;
      dispatch({ type: 'failed', source, error: (error as Error).message });
      retry.failed();
    };
    const readPage = (after: string) => readTrackedPage(api, after);
    const withShown = async <L extends PlayerLists>(lists: L): Promise<L> => ({
      ...lists,
      tracked: await withShownPages(lists.tracked, shownPlayers.current, readPage),
    });
    const load = () => {
      refresh.started();
      return api
        .request<Snapshot>(OVERVIEW)
        .then(withShown)
        .then((snapshot) => {
          if (!alive) return;
          retry.succeeded();
          refresh.succeeded();
          dispatch({ type: 'snapshot', snapshot, receivedAt: Date.now() });
        }, failed('snapshot'));
    };
    const refreshJobs = debounce(() => {
      api
        .request<{ jobs: Job[] }>(JOBS)
        .then(({ jobs }) => alive && dispatch({ type: 'jobs', jobs }), failed('jobs'));
    }, 200);
    const refreshPlayers = debounce(() => {
      api
        .request<PlayerLists>(PLAYERS)
        .then(withShown)
        .then((lists) => alive && dispatch({ type: 'players', lists }), failed('players'));
    }, 500);
    const fetchExecution = (id: string) =>
      api
        .request<{ jobExecution: Execution | null }>(EXECUTION_BY_ID, { id })
        .then(({ jobExecution }) => {
          if (alive && jobExecution) dispatch({ type: 'execution', execution: jobExecution });
        }, failed('execution'));
    const stops = [
      api.onMissed(() => void load()),
      refreshJobs.cancel,
      refreshPlayers.cancel,
      api.subscribe<{ executionStatusChanged: StatusChange }>(EXECUTION_STATUS_CHANGED, (data) => {
        const change = data.executionStatusChanged;
        dispatch({ type: 'status', change });
        void fetchExecution(change.executionId);
        refreshJobs();
        if (isFinalStatus(change.status)) refreshPlayers();
      }),
      api.subscribe<{ jobProgress: Progress }>(JOB_PROGRESS, (data) =>
        dispatch({ type: 'progress', progress: data.jobProgress }),
      ),
      api.subscribe<{ rateLimitUsage: RateLimit }>(RATE_LIMIT_USAGE, (data) =>
        dispatch({ type: 'rateLimit', usage: data.rateLimitUsage, receivedAt: Date.now() }),
      ),
      api.subscribe<{ playerFlagged: { player: PlayerSummary | null } }>(PLAYER_FLAGGED, (data) => {
        const { player } = data.playerFlagged;
        if (player) dispatch({ type: 'flagged', player });
      }),
    ];
    onVisibility();
    document.addEventListener('visibilitychange', onVisibility);
    void load();
    return () => {
      alive = false;
      retry.stop();
      refresh.stop();
      document.removeEventListener('visibilitychange', onVisibility);
      for (const stop of stops) stop();
    };
  }, [api, refreshMs]);
  const showMore = useCallback(
    (after: string) =>
      readTrackedPage(api, after).then((page) => dispatch({ type: 'morePlayers', page })),
    [api],
  );
  return { state, dispatch, showMore };
}
