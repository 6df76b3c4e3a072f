// The shapes the documents select (documents.ts), for the CLI's rendering. REST answers and the
// CLI's --json output are these objects as the server returned them.

import type { ExecutionStatus } from '../jobs/engine/status.ts';

export type { ExecutionStatus };

export type JobRun = {
  executionId: string;
  status: ExecutionStatus;
  trigger: string;
  startedAt: string | null;
  completedAt: string | null;
  errorMessage: string | null;
};

export type Job = {
  id: string;
  databaseId: number;
  name: string;
  jobType: string;
  isActive: boolean;
  schedule: string | null;
  scheduleDescription: string | null;
  config: Record<string, unknown>;
  configError: string | null;
  nextRunAt: string | null;
  runningExecutionId: string | null;
  lastRun: JobRun | null;
};

export type Execution = {
  id: string;
  databaseId: number;
  jobId: string;
  jobName: string;
  jobType: string;
  status: ExecutionStatus;
  trigger: string;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  durationSeconds: number | null;
  apiRequestsMade: number;
  recordsCreated: number;
  recordsUpdated: number;
  errorMessage: string | null;
  workerId: string | null;
  progress: { phase: string; processed: number; total: number | null } | null;
  heartbeatAt?: string | null;
  log?: { item: string; error: string; at: string | null }[];
};

export type Player = {
  id: string;
  puuid: string;
  riotId: string | null;
  platform: string;
  summonerLevel: number | null;
  accountStatus: string;
  isTracked: boolean;
  isAnalyzed: boolean;
  isFlagged: boolean;
  trackedAt: string | null;
  lastUpdated: string | null;
  rank: { tier: string; division: string | null; leaguePoints: number | null } | null;
};

export type JobTypeStats = {
  jobType: string;
  totalExecutions: number;
  successful: number;
  failed: number;
  successRate: number;
  avgDurationSeconds: number | null;
  avgApiRequests: number | null;
  maxApiRequests: number | null;
};

export type RateLimitUsage = {
  routing: string;
  queued: number | null;
  blockedForSeconds: number | null;
  at: string;
  windows: {
    scope: string;
    used: number;
    limit: number;
    windowSeconds: number;
    percentage: number;
  }[];
};

export type StatusOverview = {
  at: string;
  scheduler: { enabled: boolean; workerId: string };
  jobs: Job[];
  runningExecutions: Execution[];
  rateLimits: RateLimitUsage[];
};

export type JobProgress = {
  executionId: string;
  jobId: string;
  jobType: string;
  status: ExecutionStatus;
  phase: string | null;
  processed: number;
  total: number | null;
  apiRequestsMade: number;
  recordsCreated: number;
  recordsUpdated: number;
  errorMessage: string | null;
  at: string;
};

export type Page<K extends string, T> = { [key in K]: T[] } & {
  totalCount: number;
  nextCursor: string | null;
};
