// The overview's state and how each snapshot or live event changes it (pure: no DOM, no network).
import { isFinalStatus, STATUS_STAGE } from '../jobs/engine/status.ts';
import type { Execution, Job, PlayerSummary, Progress, RateLimit, StatusChange } from './types.ts';

export const MAX_EXECUTIONS = 12;
export const MAX_FLAGGED = 10;

/** The tracked players, and the flagged ones, most recently analysed first. */
export type PlayerLists = {
  trackedPlayers: PlayerSummary[];
  recentlyFlaggedPlayers: PlayerSummary[];
};

type Ids = { edges: Array<{ node: { id: string } }> };

export type Snapshot = PlayerLists & {
  statusOverview: { scheduler: { enabled: boolean }; rateLimits: RateLimit[] };
  jobs: Job[];
  jobExecutions: { edges: Array<{ node: Execution }> };
  /** The executions queued and running when the snapshot was read. */
  queued: Ids;
  running: Ids;
};

export type OverviewState = {
  loaded: boolean;
  error: string | null;
  schedulerEnabled: boolean | null;
  jobs: Job[];
  executions: Execution[];
  /** Executions queued or running, with their latest progress. */
  progress: Progress[];
  rateLimits: RateLimit[];
  tracked: PlayerSummary[];
  flagged: PlayerSummary[];
};

export type Action =
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'failed'; error: string }
  | { type: 'jobs'; jobs: Job[] }
  | { type: 'players'; lists: PlayerLists }
  | { type: 'status'; change: StatusChange }
  | { type: 'execution'; execution: Execution }
  | { type: 'progress'; progress: Progress }
  | { type: 'rateLimit'; usage: RateLimit }
  | { type: 'flagged'; player: PlayerSummary };

export const initialOverview: OverviewState = {
  loaded: false,
  error: null,
  schedulerEnabled: null,
  jobs: [],
  executions: [],
  progress: [],
  rateLimits: [],
  tracked: [],
  flagged: [],
};

/**
 * Adds or replaces a row, newest first. Answers and events cross on the way: a row read before
 * a status change that has already arrived never takes that status back.
 */
export function mergeExecution(rows: Execution[], incoming: Execution): Execution[] {
  const known = rows.find((row) => row.id === incoming.id);
  if (known && STATUS_STAGE[known.status] > STATUS_STAGE[incoming.status]) return rows;
  return [incoming, ...rows.filter((row) => row.id !== incoming.id)]
    .sort((a, b) => b.databaseId - a.databaseId)
    .slice(0, MAX_EXECUTIONS);
}

function byRouting(list: RateLimit[], usage: RateLimit): RateLimit[] {
  return [...list.filter((u) => u.routing !== usage.routing), usage].sort((a, b) =>
    a.routing.localeCompare(b.routing),
  );
}

function playerLists(lists: PlayerLists): Pick<OverviewState, 'tracked' | 'flagged'> {
  return {
    tracked: lists.trackedPlayers,
    flagged: lists.recentlyFlaggedPlayers.slice(0, MAX_FLAGGED),
  };
}

export function reduceOverview(state: OverviewState, action: Action): OverviewState {
  switch (action.type) {
    case 'snapshot': {
      const { snapshot } = action;
      const executions = snapshot.jobExecutions.edges.reduce(
        (rows, { node }) => mergeExecution(rows, node),
        state.executions,
      );
      // A bar stays only for an execution still queued or running: one that ended while the
      // socket was down may be older than every row of the snapshot.
      const live = new Set(
        [...snapshot.queued.edges, ...snapshot.running.edges].map((e) => e.node.id),
      );
      return {
        ...state,
        loaded: true,
        error: null,
        schedulerEnabled: snapshot.statusOverview.scheduler.enabled,
        jobs: snapshot.jobs,
        executions,
        progress: state.progress.filter((p) => live.has(p.executionId)),
        rateLimits: snapshot.statusOverview.rateLimits.reduce(byRouting, state.rateLimits),
        ...playerLists(snapshot),
      };
    }
    case 'failed':
      return { ...state, error: action.error };
    case 'jobs':
      return { ...state, jobs: action.jobs };
    case 'players':
      return { ...state, ...playerLists(action.lists) };
    case 'execution':
      return { ...state, executions: mergeExecution(state.executions, action.execution) };
    case 'status': {
      const { change } = action;
      const executions = state.executions.map((row) =>
        row.id === change.executionId && STATUS_STAGE[change.status] >= STATUS_STAGE[row.status]
          ? { ...row, status: change.status, errorMessage: change.errorMessage }
          : row,
      );
      const progress = isFinalStatus(change.status)
        ? state.progress.filter((p) => p.executionId !== change.executionId)
        : state.progress;
      return { ...state, executions, progress };
    }
    case 'progress': {
      const { progress: p } = action;
      const others = state.progress.filter((q) => q.executionId !== p.executionId);
      const known = others.length < state.progress.length;
      const progress = isFinalStatus(p.status)
        ? others
        : known
          ? state.progress.map((q) => (q.executionId === p.executionId ? p : q))
          : [...state.progress, p];
      const executions = state.executions.map((row) =>
        row.id === p.executionId && STATUS_STAGE[p.status] >= STATUS_STAGE[row.status]
          ? {
              ...row,
              status: p.status,
              apiRequestsMade: p.apiRequestsMade,
              recordsCreated: p.recordsCreated,
              recordsUpdated: p.recordsUpdated,
            }
          : row,
      );
      return { ...state, executions, progress };
    }
    case 'rateLimit':
      return { ...state, rateLimits: byRouting(state.rateLimits, action.usage) };
    case 'flagged': {
      const rest = state.flagged.filter((p) => p.puuid !== action.player.puuid);
      return { ...state, flagged: [action.player, ...rest].slice(0, MAX_FLAGGED) };
    }
  }
}
