import { describe, expect, it } from 'vitest';
import { secondsLeft } from '../../../src/dashboard/clock.ts';
import {
  failureOf,
  initialOverview,
  MAX_EXECUTIONS,
  mergeExecution,
  type OverviewState,
  reduceOverview,
  type Snapshot,
  snapshotExecutions,
} from '../../../src/dashboard/state.ts';
import type {
  Execution,
  PlayerRow,
  PlayerSummary,
  Progress,
} from '../../../src/dashboard/types.ts';

const execution = (n: number, patch: Partial<Execution> = {}): Execution => ({
  id: `E${n}`,
  databaseId: n,
  jobId: 'J1',
  jobName: 'Tracked Player Updater',
  status: 'pending',
  trigger: 'manual',
  createdAt: '2026-11-29T10:00:00Z',
  startedAt: null,
  durationSeconds: null,
  apiRequestsMade: 0,
  recordsCreated: 0,
  recordsUpdated: 0,
  errorMessage: null,
  ...patch,
});

const progress = (n: number, patch: Partial<Progress> = {}): Progress => ({
  executionId: `E${n}`,
  jobType: 'tracked_player_updater',
  status: 'running',
  phase: 'players',
  processed: 0,
  total: 5,
  apiRequestsMade: 0,
  recordsCreated: 0,
  recordsUpdated: 0,
  ...patch,
});

const player = (puuid: string, analysedAt: string): PlayerSummary => ({
  puuid,
  riotId: `${puuid}#EUW`,
  platform: 'euw1',
  analyses: [
    {
      createdAt: analysedAt,
      gamesAnalyzed: 20,
      isFlagged: true,
      smurfScore: 0.8,
      smurfConfidence: 'high',
      boostedScore: 0,
      smurfFactors: [],
      boostedFactors: [],
    },
  ],
});

const row = (puuid: string, lastUpdated: string | null = null): PlayerRow => ({
  puuid,
  riotId: null,
  platform: 'euw1',
  isFlagged: false,
  rank: null,
  lastUpdated,
});

/** A page of tracked players; `next` is its end cursor when more follow. */
const trackedPage = (puuids: string[], total = puuids.length, next: string | null = null) => ({
  totalCount: total,
  pageInfo: { hasNextPage: next !== null, endCursor: next },
  edges: puuids.map((puuid) => ({ node: row(puuid) })),
});

const apply = (state: OverviewState, ...actions: Parameters<typeof reduceOverview>[1][]) =>
  actions.reduce(reduceOverview, state);

describe('dashboard state', () => {
  it('keeps executions newest first, at most MAX_EXECUTIONS', () => {
    let rows: Execution[] = [];
    for (const n of [3, 1, 2, ...Array.from({ length: 30 }, (_, i) => i + 10)]) {
      rows = mergeExecution(rows, execution(n));
    }
    expect(rows).toHaveLength(MAX_EXECUTIONS);
    expect(rows[0]?.databaseId).toBe(39);
    expect(rows.map((r) => r.databaseId)).toEqual(
      [...rows.map((r) => r.databaseId)].sort((a, b) => b - a),
    );
  });

  it('a row read before a status change never takes the newer status back', () => {
    const state = apply(
      initialOverview,
      { type: 'execution', execution: execution(7) },
      {
        type: 'status',
        change: { executionId: 'E7', status: 'success', errorMessage: null },
      },
      // The answer to the fetch sent on "running" lands after "success".
      { type: 'execution', execution: execution(7, { status: 'running' }) },
    );
    expect(state.executions[0]?.status).toBe('success');
    const final = apply(state, {
      type: 'execution',
      execution: execution(7, { status: 'success', durationSeconds: 2.5, apiRequestsMade: 9 }),
    });
    expect(final.executions[0]).toMatchObject({
      status: 'success',
      durationSeconds: 2.5,
      apiRequestsMade: 9,
    });
  });

  it('a progress bar follows its execution and goes once it has ended', () => {
    const running = apply(
      initialOverview,
      { type: 'execution', execution: execution(4) },
      { type: 'progress', progress: progress(4, { processed: 1, apiRequestsMade: 3 }) },
      { type: 'progress', progress: progress(5, { status: 'pending', total: null }) },
      { type: 'progress', progress: progress(4, { processed: 2, apiRequestsMade: 6 }) },
    );
    expect(running.progress.map((p) => [p.executionId, p.processed])).toEqual([
      ['E4', 2],
      ['E5', 0],
    ]);
    expect(running.executions[0]).toMatchObject({ status: 'running', apiRequestsMade: 6 });
    const ended = apply(running, {
      type: 'status',
      change: { executionId: 'E4', status: 'failed', errorMessage: 'rate limit' },
    });
    expect(ended.progress.map((p) => p.executionId)).toEqual(['E5']);
    expect(ended.executions[0]).toMatchObject({ status: 'failed', errorMessage: 'rate limit' });
  });

  const snapshot = (patch: Partial<Snapshot> = {}): Snapshot => ({
    statusOverview: { scheduler: { enabled: true }, rateLimits: [] },
    jobs: [],
    jobExecutions: { edges: [] },
    queued: { edges: [] },
    running: { edges: [] },
    tracked: trackedPage([]),
    recentlyFlaggedPlayers: [],
    ...patch,
  });
  const ids = (...ns: number[]) => ({ edges: ns.map((n) => ({ node: { id: `E${n}` } })) });

  it('a snapshot keeps the bars of the executions still queued or running, and only those', () => {
    const before = apply(
      initialOverview,
      { type: 'progress', progress: progress(1) },
      { type: 'progress', progress: progress(8) },
      { type: 'progress', progress: progress(9, { status: 'pending' }) },
    );
    // E1 ended while the socket was down, and is older than every execution the snapshot lists.
    const newer = Array.from({ length: MAX_EXECUTIONS }, (_, i) => ({
      node: execution(20 + i, { status: 'success' }),
    }));
    const after = apply(before, {
      type: 'snapshot',
      snapshot: snapshot({ jobExecutions: { edges: newer }, running: ids(8), queued: ids(9) }),
      receivedAt: 0,
    });
    expect(after.executions.some((e) => e.id === 'E1')).toBe(false);
    expect(after.progress.map((p) => p.executionId)).toEqual(['E8', 'E9']);
    expect(after.loaded).toBe(true);
  });

  it('flagged players: as the server orders them, then each new flag first', () => {
    const lists = {
      tracked: trackedPage([]),
      recentlyFlaggedPlayers: [
        player('new', '2026-11-29T00:00:00Z'),
        player('old', '2026-11-01T00:00:00Z'),
      ],
    };
    const after = apply(initialOverview, {
      type: 'snapshot',
      snapshot: snapshot(lists),
      receivedAt: 0,
    });
    expect(after.flagged.map((p) => p.puuid)).toEqual(['new', 'old']);
    const flaggedAgain = apply(after, {
      type: 'flagged',
      player: player('old', '2026-11-30T00:00:00Z'),
    });
    expect(flaggedAgain.flagged.map((p) => p.puuid)).toEqual(['old', 'new']);
    // Read again after a run (a new analysis may have cleared a flag): the server's list stands.
    const reread = apply(flaggedAgain, {
      type: 'players',
      lists: { ...lists, recentlyFlaggedPlayers: [player('new', '2026-11-29T00:00:00Z')] },
    });
    expect(reread.flagged.map((p) => p.puuid)).toEqual(['new']);
  });

  it('rate limits: one entry per routing value, the latest', () => {
    const usage = (routing: string, used: number) => ({
      routing,
      queued: 0,
      blockedForSeconds: null,
      windows: [{ scope: 'app', used, limit: 20, percentage: used * 5, windowSeconds: 1 }],
    });
    const state = apply(
      initialOverview,
      { type: 'rateLimit', usage: usage('euw1', 1), receivedAt: 0 },
      { type: 'rateLimit', usage: usage('europe', 2), receivedAt: 0 },
      { type: 'rateLimit', usage: usage('euw1', 18), receivedAt: 0 },
    );
    expect(state.rateLimits.map((u) => [u.routing, u.windows[0]?.used])).toEqual([
      ['europe', 2],
      ['euw1', 18],
    ]);
  });

  describe('a 429 block', () => {
    const usage = (blockedForSeconds: number | null) => ({
      routing: 'euw1',
      queued: 0,
      blockedForSeconds,
      windows: [],
    });
    const received = 1_000_000;
    const left = (u: ReturnType<typeof usage>, now: number) => {
      const state = apply(initialOverview, { type: 'rateLimit', usage: u, receivedAt: received });
      return secondsLeft(state.rateLimits[0]?.blockedUntil ?? null, now);
    };

    it('is none when the usage says no wait', () => {
      // Even read on a clock behind the one it arrived by.
      expect(left(usage(0), received - 5_000)).toBe(0);
      expect(left(usage(null), received)).toBe(0);
    });

    it('counts down from when the usage arrived, and is over after', () => {
      expect(left(usage(12), received)).toBe(12);
      expect(left(usage(12), received + 4_500)).toBe(8);
      expect(left(usage(12), received + 12_000)).toBe(0);
    });
  });

  it('every read that succeeds clears its own failure; a snapshot clears them all', () => {
    const failed = apply(
      { ...initialOverview, loaded: true },
      { type: 'failed', source: 'players', error: 'The server answered HTTP 502 Bad Gateway' },
      { type: 'failed', source: 'jobs', error: 'The server cannot be reached' },
    );
    expect(failureOf(failed)).toBe('The server answered HTTP 502 Bad Gateway');
    const jobsBack = apply(failed, { type: 'jobs', jobs: [] });
    expect(failureOf(jobsBack)).toBe('The server answered HTTP 502 Bad Gateway');
    const playersBack = apply(jobsBack, {
      type: 'players',
      lists: { tracked: trackedPage([]), recentlyFlaggedPlayers: [] },
    });
    expect(failureOf(playersBack)).toBeNull();
    const executionBack = apply(
      { ...initialOverview, failures: { execution: 'x' } },
      { type: 'execution', execution: execution(1) },
    );
    expect(failureOf(executionBack)).toBeNull();
    const reread = apply(failed, { type: 'snapshot', snapshot: snapshot(), receivedAt: 0 });
    expect(failureOf(reread)).toBeNull();
  });

  it('an event leaves the lists it does not change as they were (their panels are not redrawn)', () => {
    const state = apply(initialOverview, { type: 'execution', execution: execution(1) });
    const afterUsage = apply(state, {
      type: 'rateLimit',
      usage: { routing: 'euw1', queued: 0, blockedForSeconds: null, windows: [] },
      receivedAt: 0,
    });
    expect(afterUsage.executions).toBe(state.executions);
    expect(afterUsage.tracked).toBe(state.tracked);
    // Progress of an execution the list does not show.
    const afterProgress = apply(state, { type: 'progress', progress: progress(99) });
    expect(afterProgress.executions).toBe(state.executions);
    const afterStatus = apply(state, {
      type: 'status',
      change: { executionId: 'E99', status: 'running', errorMessage: null },
    });
    expect(afterStatus.executions).toBe(state.executions);
  });

  describe('tracked players, a page at a time', () => {
    const puuids = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => `p${String(from + i).padStart(3, '0')}`);

    it('the first page, then each page shown after it', () => {
      const first = apply(initialOverview, {
        type: 'snapshot',
        snapshot: snapshot({ tracked: trackedPage(puuids(0, 50), 120, 'c50') }),
        receivedAt: 0,
      });
      expect(first.tracked).toMatchObject({ total: 120, next: 'c50' });
      const more = apply(
        first,
        { type: 'morePlayers', page: trackedPage(puuids(50, 100), 120, 'c100') },
        { type: 'morePlayers', page: trackedPage(puuids(100, 120), 120) },
      );
      expect(more.tracked.players.map((p) => p.puuid)).toEqual(puuids(0, 120));
      expect(more.tracked.next).toBeNull();
    });

    it('read again after a run, the list is what was read: no row kept from before', () => {
      const shown = apply(
        initialOverview,
        {
          type: 'players',
          lists: { tracked: trackedPage(puuids(0, 2), 4, 'c2'), recentlyFlaggedPlayers: [] },
        },
        { type: 'morePlayers', page: trackedPage(puuids(2, 4), 4) },
      );
      expect(shown.tracked).toMatchObject({ total: 4, next: null });
      // p002 was updated, p003 untracked: the rows read again (both pages, see tracked-pages.ts).
      const read = {
        totalCount: 3,
        pageInfo: { hasNextPage: false, endCursor: null },
        edges: [row('p000', 't1'), row('p001', 't1'), row('p002', 't1')].map((node) => ({ node })),
      };
      const after = apply(shown, {
        type: 'players',
        lists: { tracked: read, recentlyFlaggedPlayers: [] },
      });
      expect(after.tracked.players.map((p) => [p.puuid, p.lastUpdated])).toEqual([
        ['p000', 't1'],
        ['p001', 't1'],
        ['p002', 't1'],
      ]);
      expect(after.tracked).toMatchObject({ total: 3, next: null });
    });

    it('only the first page read again: the rows past it go, "Show more" reads on', () => {
      const shown = apply(
        initialOverview,
        {
          type: 'players',
          lists: { tracked: trackedPage(puuids(0, 50), 120, 'c50'), recentlyFlaggedPlayers: [] },
        },
        { type: 'morePlayers', page: trackedPage(puuids(50, 100), 120, 'c100') },
      );
      const after = apply(shown, {
        type: 'snapshot',
        snapshot: snapshot({ tracked: trackedPage(puuids(0, 50), 119, 'c50') }),
        receivedAt: 0,
      });
      expect(after.tracked.players).toHaveLength(50);
      expect(after.tracked).toMatchObject({ total: 119, next: 'c50' });
    });
  });

  describe('the executions a snapshot lists', () => {
    const listed = (...ns: number[]) => ns.map((n) => execution(n, { status: 'success' }));

    it('are the truth: rows deleted since (a reset) go, even while they were running', () => {
      const shown = [execution(3, { status: 'running' }), ...listed(2, 1)];
      expect(snapshotExecutions(shown, [])).toEqual([]);
      // Runs made after the reset have the next ids (the sequence is not reset).
      expect(snapshotExecutions(shown, listed(5, 4)).map((e) => e.databaseId)).toEqual([5, 4]);
    });

    it('a row newer than every listed one came after the read, and stays', () => {
      const shown = [execution(9, { status: 'running' }), ...listed(8, 7)];
      const rows = snapshotExecutions(shown, listed(8, 6));
      expect(rows.map((e) => [e.databaseId, e.status])).toEqual([
        [9, 'running'],
        [8, 'success'],
        [6, 'success'],
      ]);
    });

    it('a listed row keeps a later status an event brought meanwhile', () => {
      const shown = [execution(4, { status: 'failed', errorMessage: 'boom' })];
      const rows = snapshotExecutions(shown, [execution(4, { status: 'running' })]);
      expect(rows).toEqual(shown);
    });

    it('the reducer shows them so', () => {
      const before = apply(
        initialOverview,
        { type: 'execution', execution: execution(3, { status: 'running' }) },
        { type: 'execution', execution: execution(2, { status: 'success' }) },
      );
      const after = apply(before, { type: 'snapshot', snapshot: snapshot(), receivedAt: 0 });
      expect(after.executions).toEqual([]);
    });
  });
});
