import { describe, expect, it } from 'vitest';
import {
  initialOverview,
  MAX_EXECUTIONS,
  mergeExecution,
  type OverviewState,
  reduceOverview,
  type Snapshot,
} from '../../../src/dashboard/state.ts';
import type { Execution, PlayerSummary, Progress } from '../../../src/dashboard/types.ts';

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
  jobId: 'J1',
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
  isFlagged: true,
  rank: null,
  lastUpdated: null,
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
        change: { executionId: 'E7', jobId: 'J1', status: 'success', errorMessage: null, at: '' },
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
      change: {
        executionId: 'E4',
        jobId: 'J1',
        status: 'failed',
        errorMessage: 'rate limit',
        at: '',
      },
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
    trackedPlayers: [],
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
    });
    expect(after.executions.some((e) => e.id === 'E1')).toBe(false);
    expect(after.progress.map((p) => p.executionId)).toEqual(['E8', 'E9']);
    expect(after.loaded).toBe(true);
  });

  it('flagged players: as the server orders them, then each new flag first', () => {
    const lists = {
      trackedPlayers: [],
      recentlyFlaggedPlayers: [
        player('new', '2026-11-29T00:00:00Z'),
        player('old', '2026-11-01T00:00:00Z'),
      ],
    };
    const after = apply(initialOverview, { type: 'snapshot', snapshot: snapshot(lists) });
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
      at: '2026-11-29T10:00:00Z',
      windows: [{ scope: 'app', used, limit: 20, percentage: used * 5, windowSeconds: 1 }],
    });
    const state = apply(
      initialOverview,
      { type: 'rateLimit', usage: usage('euw1', 1) },
      { type: 'rateLimit', usage: usage('europe', 2) },
      { type: 'rateLimit', usage: usage('euw1', 18) },
    );
    expect(state.rateLimits.map((u) => [u.routing, u.windows[0]?.used])).toEqual([
      ['europe', 2],
      ['euw1', 18],
    ]);
  });
});
