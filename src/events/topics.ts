/**
 * The events riftwatch publishes, one payload type per topic. Payloads are small, JSON-safe and
 * carry ids, by which subscribers filter.
 */

import type { ExecutionStatus, Trigger } from '../jobs/engine/types.ts';

export type JobProgressEvent = {
  executionId: number;
  jobConfigId: number;
  jobType: string;
  phase: string;
  processed: number;
  total: number | null;
  apiRequestsMade: number;
  recordsCreated: number;
  recordsUpdated: number;
  /** ISO timestamp. */
  at: string;
};

export type ExecutionStatusEvent = {
  executionId: number;
  jobConfigId: number;
  jobType: string;
  status: ExecutionStatus;
  trigger: Trigger;
  errorMessage: string | null;
  at: string;
};

/** One routing value's budget (published by the Riot rate limiter). */
export type RateLimitUsageEvent = {
  routing: string;
  windows: { limit: number; used: number; windowSeconds: number; scope: string }[];
  /** Requests waiting for a slot, and the wait a 429 imposed (ms), as of `at`. */
  queued: number;
  blockedForMs: number;
  at: string;
};

export type PlayerFlaggedEvent = {
  puuid: string;
  riotId: string | null;
  smurfScore: number;
  confidence: string;
  at: string;
};

/** graphql-yoga `createPubSub` topic map: topic → publish arguments. */
export type RiftwatchTopics = {
  jobProgress: [JobProgressEvent];
  executionStatus: [ExecutionStatusEvent];
  rateLimitUsage: [RateLimitUsageEvent];
  playerFlagged: [PlayerFlaggedEvent];
};
