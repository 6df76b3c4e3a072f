/** The shapes the dashboard's GraphQL documents select (see documents.ts). */

import type { ExecutionStatus, JobProgress } from '../api-client/types.ts';

export type { ExecutionStatus };

export type JobRun = {
  executionId: string;
  status: ExecutionStatus;
  startedAt: string | null;
  completedAt: string | null;
};

export type Job = {
  id: string;
  name: string;
  jobType: string;
  isActive: boolean;
  schedule: string | null;
  scheduleDescription: string | null;
  configError: string | null;
  nextRunAt: string | null;
  lastRun: JobRun | null;
};

export type Execution = {
  id: string;
  databaseId: number;
  jobId: string;
  jobName: string;
  status: ExecutionStatus;
  trigger: string;
  createdAt: string;
  startedAt: string | null;
  durationSeconds: number | null;
  apiRequestsMade: number;
  recordsCreated: number;
  recordsUpdated: number;
  errorMessage: string | null;
};

export type StatusChange = {
  executionId: string;
  status: ExecutionStatus;
  errorMessage: string | null;
};

/** A running execution's progress, as the `jobProgress` subscription selects it. */
export type Progress = Omit<JobProgress, 'jobId' | 'errorMessage' | 'at'>;

export type RateLimitWindow = {
  scope: string;
  used: number;
  limit: number;
  percentage: number;
  windowSeconds: number;
};

export type RateLimit = {
  routing: string;
  queued: number | null;
  /** The wait a 429 imposed, as of when the server sent the usage. */
  blockedForSeconds: number | null;
  windows: RateLimitWindow[];
};

export type Factor = {
  name: string;
  score: number | null;
  weight: number | null;
  explanation: string | null;
};

export type Analysis = {
  createdAt: string;
  gamesAnalyzed: number;
  isFlagged: boolean;
  smurfScore: number | null;
  smurfConfidence: string;
  boostedScore: number | null;
  smurfFactors: Factor[];
  boostedFactors: Factor[];
};

export type Rank = {
  tier: string;
  division: string | null;
  leaguePoints: number | null;
};

/** Who a player is, as every list names them. */
export type PlayerName = {
  puuid: string;
  riotId: string | null;
  platform: string;
};

/** A line of the tracked players' list. */
export type PlayerRow = PlayerName & {
  isFlagged: boolean;
  rank: Rank | null;
  lastUpdated: string | null;
};

/** A flagged player, with the latest analysis. */
export type PlayerSummary = PlayerName & { analyses: Analysis[] };

/** A page of the `players(tracked: true)` connection. */
export type TrackedPage = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ node: PlayerRow }>;
};

export type RankSnapshot = Rank & {
  capturedAt: string;
  queueType: string;
  wins: number;
  losses: number;
};

export type MatchLine = {
  championName: string;
  kills: number;
  deaths: number;
  assists: number;
  kda: number;
  win: boolean;
  creepScore: number;
  teamPosition: string | null;
  match: { matchId: string; gameStart: string; durationSeconds: number; queueId: number };
};

export type PlayerDetail = PlayerSummary & {
  isFlagged: boolean;
  rank: Rank | null;
  summonerLevel: number | null;
  isTracked: boolean;
  accountStatus: string;
  rankHistory: RankSnapshot[];
  matches: { edges: Array<{ node: MatchLine }> };
};
