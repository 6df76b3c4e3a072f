// The overview's state and how each snapshot or live event changes it (pure: no DOM, no network).
import { isFinalStatus, STATUS_STAGE } from '../jobs/engine/status.ts';
import type {
  Execution,
  Job,
  PlayerRow,
  PlayerSummary,
  Progress,
  RateLimit,
  StatusChange,
  TrackedPage,
} from './types.ts';

export const MAX_EXECUTIONS = 12;
export const MAX_FLAGGED = 10;
/** Tracked players read at a time: the first page, then one more per "Show more". */
export const TRACKED_PAGE_SIZE = 50;

/** A page of the tracked players, and the flagged ones, most recently analysed first. */
export type PlayerLists = {
  tracked: TrackedPage;
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

/** A routing value's usage, with the end of its 429 wait on the browser's clock (null: none). */
export type RateLimitState = RateLimit & { blockedUntil: number | null };

/** The tracked players read so far: the first pages, in the server's order (by PUUID). */
export type TrackedList = {
  players: PlayerRow[];
  total: number;
  /** Where the next page starts; null when every tracked player is shown. */
  next: string | null;
};

/** What the overview reads over HTTP; each may fail on its own. */
export type ReadSource = 'snapshot' | 'jobs' | 'players' | 'execution';

export type OverviewState = {
  /** A snapshot has been read: empty lists mean "none", not "not known yet". */
  loaded: boolean;
  /** The reads whose last try failed, and why; each is cleared by its next success. */
  failures: Partial<Record<ReadSource, string>>;
  schedulerEnabled: boolean | null;
  jobs: Job[];
  executions: Execution[];
  /** Executions queued or running, with their latest progress. */
  progress: Progress[];
  rateLimits: RateLimitState[];
  tracked: TrackedList;
  flagged: PlayerSummary[];
};

export type Action =
  | { type: 'snapshot'; snapshot: Snapshot; receivedAt: number }
  | { type: 'failed'; source: ReadSource; error: string }
  | { type: 'jobs'; jobs: Job[] }
  | { type: 'players'; lists: PlayerLists }
  | { type: 'morePlayers'; page: TrackedPage }
  | { type: 'status'; change: StatusChange }
  | { type: 'execution'; execution: Execution }
  | { type: 'progress'; progress: Progress }
  | { type: 'rateLimit'; usage: RateLimit; receivedAt: number }
  | { type: 'flagged'; player: PlayerSummary };

export const initialOverview: OverviewState = {
  loaded: false,
  failures: {},
  schedulerEnabled: null,
  jobs: [],
  executions: [],
  progress: [],
  rateLimits: [],
  tracked: { players: [], total: 0, next: null },
  flagged: [],
};

/** The first failure to tell the operator about, or null. */
export const failureOf = (state: OverviewState): string | null =>
  Object.values(state.failures)[0] ?? null;

function succeeded(failures: OverviewState['failures'], source: ReadSource) {
  if (!(source in failures)) return failures;
  const { [source]: _, ...rest } = failures;
  return rest;
}

/** `rows` with `update` applied, the same array when no row changed (panels skip a redraw). */
function updateRows<T>(rows: T[], update: (row: T) => T): T[] {
  let changed = false;
  const next = rows.map((row) => {
    const updated = update(row);
    if (updated !== row) changed = true;
    return updated;
  });
  return changed ? next : rows;
}

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

/**
 * The executions a snapshot lists, which are the truth as of its read. A row shown before stays
 * only when it is newer than every row listed (an event brought it after the read; ids only
 * grow), or is listed itself at a later status than the snapshot's (the snapshot crossed its event
 * on the way). Any other row was deleted since (a reset of the job state), or newer rows have
 * pushed it out.
 */
export function snapshotExecutions(rows: Execution[], listed: Execution[]): Execution[] {
  const ids = new Set(listed.map((e) => e.id));
  const newest = Math.max(...listed.map((e) => e.databaseId));
  // With none listed there are none, as of the read: no row can be told newer than it.
  const kept = rows.filter(
    (row) => ids.has(row.id) || (listed.length > 0 && row.databaseId > newest),
  );
  return listed.reduce((merged, execution) => mergeExecution(merged, execution), kept);
}

/**
 * The usage with its wait's end on this browser's clock: `blockedForSeconds` is as of when the
 * server sent it, which is (within a request's latency) when it arrived. The server's clock is
 * not asked, since the two clocks need not agree.
 */
function received(usage: RateLimit, receivedAt: number): RateLimitState {
  const blocked = usage.blockedForSeconds ?? 0;
  return { ...usage, blockedUntil: blocked > 0 ? receivedAt + blocked * 1000 : null };
}

function byRouting(list: RateLimitState[], usage: RateLimitState): RateLimitState[] {
  return [...list.filter((u) => u.routing !== usage.routing), usage].sort((a, b) =>
    a.routing.localeCompare(b.routing),
  );
}

const trackedList = (page: TrackedPage): TrackedList => ({
  players: page.edges.map((e) => e.node),
  total: page.totalCount,
  next: page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null,
});

/** The page after those shown. */
function appendTrackedPage(shown: TrackedList, page: TrackedPage): TrackedList {
  const more = trackedList(page);
  const known = new Set(shown.players.map((p) => p.puuid));
  return {
    players: [...shown.players, ...more.players.filter((p) => !known.has(p.puuid))],
    total: more.total,
    next: more.next,
  };
}

/**
 * The lists as read again: the tracked players are the rows read now (the first page, and the
 * pages shown after it read again with it), never rows kept from an earlier read, which may have
 * changed or stopped being tracked since.
 */
const playerLists = (lists: PlayerLists): Pick<OverviewState, 'tracked' | 'flagged'> => ({
  tracked: trackedList(lists.tracked),
  flagged: lists.recentlyFlaggedPlayers.slice(0, MAX_FLAGGED),
});

export function reduceOverview(state: OverviewState, action: Action): OverviewState {
  switch (action.type) {
    case 'snapshot': {
      const { snapshot } = action;
      const executions = snapshotExecutions(
        state.executions,
        snapshot.jobExecutions.edges.map((e) => e.node),
      );
      // A bar stays only for an execution still queued or running: one that ended while the
      // socket was down may be older than every row of the snapshot.
      const live = new Set(
        [...snapshot.queued.edges, ...snapshot.running.edges].map((e) => e.node.id),
      );
      return {
        ...state,
        loaded: true,
        // Everything was read again.
        failures: {},
        schedulerEnabled: snapshot.statusOverview.scheduler.enabled,
        jobs: snapshot.jobs,
        executions,
        progress: state.progress.filter((p) => live.has(p.executionId)),
        rateLimits: snapshot.statusOverview.rateLimits
          .map((usage) => received(usage, action.receivedAt))
          .reduce(byRouting, state.rateLimits),
        ...playerLists(snapshot),
      };
    }
    case 'failed':
      return { ...state, failures: { ...state.failures, [action.source]: action.error } };
    case 'jobs':
      return { ...state, failures: succeeded(state.failures, 'jobs'), jobs: action.jobs };
    case 'players':
      return {
        ...state,
        failures: succeeded(state.failures, 'players'),
        ...playerLists(action.lists),
      };
    case 'morePlayers':
      return {
        ...state,
        failures: succeeded(state.failures, 'players'),
        tracked: appendTrackedPage(state.tracked, action.page),
      };
    case 'execution':
      return {
        ...state,
        failures: succeeded(state.failures, 'execution'),
        executions: mergeExecution(state.executions, action.execution),
      };
    case 'status': {
      const { change } = action;
      const executions = updateRows(state.executions, (row) =>
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
      const executions = updateRows(state.executions, (row) =>
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
      return {
        ...state,
        rateLimits: byRouting(state.rateLimits, received(action.usage, action.receivedAt)),
      };
    case 'flagged': {
      const rest = state.flagged.filter((p) => p.puuid !== action.player.puuid);
      return { ...state, flagged: [action.player, ...rest].slice(0, MAX_FLAGGED) };
    }
  }
}
