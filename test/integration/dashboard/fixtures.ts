// What the dashboard's queries answer, in the shapes its documents select.
import type { Snapshot } from '../../../src/dashboard/state.ts';
import type {
  Execution,
  Job,
  PlayerDetail,
  PlayerRow,
  PlayerSummary,
  RateLimit,
} from '../../../src/dashboard/types.ts';

export const job = (jobType: string, name: string, patch: Partial<Job> = {}): Job => ({
  id: `J-${jobType}`,
  name,
  jobType,
  isActive: true,
  schedule: '*/30 * * * *',
  scheduleDescription: 'every 30 minutes',
  configError: null,
  nextRunAt: new Date(Date.now() + 600_000).toISOString(),
  lastRun: null,
  ...patch,
});

export const JOBS = [
  job('tracked_player_updater', 'Tracked Player Updater'),
  job('player_analyzer', 'Player Analyzer'),
  job('execution_retention', 'Execution Retention'),
];

export const execution = (n: number, patch: Partial<Execution> = {}): Execution => ({
  id: `E${n}`,
  databaseId: n,
  jobId: 'J-tracked_player_updater',
  jobName: 'Tracked Player Updater',
  status: 'success',
  trigger: 'scheduled',
  createdAt: '2026-11-29T10:00:00Z',
  startedAt: '2026-11-29T10:00:00Z',
  durationSeconds: 2.5,
  apiRequestsMade: 9,
  recordsCreated: 1,
  recordsUpdated: 2,
  errorMessage: null,
  ...patch,
});

export const playerRow = (n: number, patch: Partial<PlayerRow> = {}): PlayerRow => ({
  puuid: `puuid-${String(n).padStart(4, '0')}`,
  riotId: `Player ${n}#EUW`,
  platform: 'euw1',
  isFlagged: false,
  rank: { tier: 'GOLD', division: 'II', leaguePoints: 40 },
  lastUpdated: '2026-11-29T10:00:00Z',
  ...patch,
});

const analysis = (): PlayerSummary['analyses'] => [
  {
    createdAt: '2026-11-29T10:00:00Z',
    gamesAnalyzed: 20,
    isFlagged: true,
    smurfScore: 0.8,
    smurfConfidence: 'high',
    boostedScore: 0.1,
    smurfFactors: [{ name: 'win_rate', score: 0.9, weight: 1, explanation: 'Wins 80 %' }],
    boostedFactors: [],
  },
];

export const flaggedPlayer = (n: number, patch: Partial<PlayerSummary> = {}): PlayerSummary => {
  const { puuid, riotId, platform } = playerRow(n);
  return { puuid, riotId, platform, analyses: analysis(), ...patch };
};

/** `count` tracked players from number `from`, of `total`; more follow when the page is full. */
export const trackedPage = (from: number, count: number, total: number) => {
  const edges = Array.from({ length: Math.min(count, total - from) }, (_, i) => ({
    node: playerRow(from + i),
  }));
  const last = from + edges.length;
  return {
    totalCount: total,
    pageInfo: { hasNextPage: last < total, endCursor: last < total ? `cursor-${last}` : null },
    edges,
  };
};

export const usage = (routing: string, patch: Partial<RateLimit> = {}): RateLimit => ({
  routing,
  queued: 0,
  blockedForSeconds: 0,
  windows: [{ scope: 'app', used: 3, limit: 20, percentage: 15, windowSeconds: 1 }],
  ...patch,
});

export const overview = (patch: Partial<Snapshot> = {}): Snapshot => ({
  statusOverview: { scheduler: { enabled: true }, rateLimits: [usage('euw1'), usage('europe')] },
  jobs: JOBS,
  jobExecutions: { edges: [{ node: execution(2) }, { node: execution(1) }] },
  queued: { edges: [] },
  running: { edges: [] },
  tracked: trackedPage(0, 3, 3),
  recentlyFlaggedPlayers: [flaggedPlayer(7)],
  ...patch,
});

export const playerDetail = (patch: Partial<PlayerDetail> = {}): PlayerDetail => ({
  ...flaggedPlayer(1),
  isFlagged: true,
  rank: playerRow(1).rank,
  summonerLevel: 120,
  isTracked: true,
  accountStatus: 'active',
  rankHistory: [],
  matches: { edges: [] },
  ...patch,
});

/** A GraphQL error answer, as the server writes them. */
export const graphqlError = (message: string, code: string, extra: object = {}) => ({
  json: { errors: [{ message, extensions: { code, ...extra } }] },
});
