import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { preparedStatements } from '../db/prepared-statements.ts';
import type { PrismaClient, SqlReader } from '../db/prisma.ts';
import type { RiftwatchPubSub } from '../events/pubsub.ts';
import type { PlayerAnalysis, RankSnapshot } from '../generated/prisma/client.ts';
import type { JobOperations } from '../jobs/admin/operations.ts';
import type { JobEngine } from '../jobs/engine/index.ts';
import type { Logger } from '../logger.ts';
import { newestAnalyses } from '../players/analysis-history.ts';
import { newestRankSnapshots, type RankHistoryOptions } from '../players/rank-history.ts';
import type { PlayerTracking } from '../players/tracking.ts';
import type { RateLimiter } from '../riot/rate-limiter.ts';
import {
  type AdminAuth,
  bearerToken,
  type Caller,
  connectionParamsToken,
  isCrossSite,
  PROXY_HEADERS,
  type Relay,
} from './auth.ts';
import { createPlayerReads, type PlayerReads } from './player-reads.ts';
import type { MutationThrottle } from './throttle.ts';

/** What the GraphQL layer is built from (wired in main.ts, or by tests). */
export type GraphQLDeps = {
  prisma: PrismaClient;
  /** The pool under `prisma`, for the reads that skip Prisma (see player-reads.ts). */
  sql: SqlReader;
  players: Pick<PlayerTracking, 'track' | 'untrack'>;
  jobs: JobOperations;
  engine: Pick<JobEngine, 'schedulerEnabled' | 'workerId' | 'intervalSeconds' | 'registry'>;
  limiter: Pick<RateLimiter, 'usage'>;
  pubsub: RiftwatchPubSub;
  auth: AdminAuth;
  throttle: MutationThrottle;
  logger: Logger;
  /** Envelop plugins that observe every operation (metrics). */
  plugins?: Plugin[];
  /** Live connections (WebSocket, SSE) per client address (LIVE_CONNECTIONS_PER_ADDRESS). */
  maxLiveConnectionsPerAddress?: number;
};

/**
 * Read-only views for resolvers that spread Pothos' `query` (selections and pagination) into a
 * Prisma read. Writes go through the use-cases only.
 */
type ReadModels = {
  players: PlayerReads;
  jobExecution: Pick<
    PrismaClient['jobExecution'],
    'findMany' | 'findUnique' | 'findUniqueOrThrow' | 'count'
  >;
  jobConfiguration: Pick<PrismaClient['jobConfiguration'], 'findUnique'>;
  /** The newest rank snapshots of each of many players, in one statement (see rank-history.ts). */
  rankHistory: (
    puuids: readonly string[],
    options: RankHistoryOptions,
  ) => Promise<Map<string, RankSnapshot[]>>;
  /** The newest analyses of each of many players, in one statement (see analysis-history.ts). */
  analyses: (puuids: readonly string[], limit: number) => Promise<Map<string, PlayerAnalysis[]>>;
};

export type GraphQLContext = {
  /** For plugin-prisma's own loading only (see builder.ts). */
  prismaForPlugin: PrismaClient;
  reads: ReadModels;
  players: GraphQLDeps['players'];
  jobs: JobOperations;
  engine: GraphQLDeps['engine'];
  limiter: GraphQLDeps['limiter'];
  pubsub: RiftwatchPubSub;
  caller: Caller;
  requestId: string;
};

/** What Yoga hands the context factory over HTTP (`request`, `req`) and graphql-ws (`req`, `connectionParams`). */
type InitialContext = {
  request?: { headers: Headers };
  req?: {
    socket?: { remoteAddress?: string | undefined } | undefined;
    headers?: Record<string, string | string[] | undefined>;
  };
  connectionParams?: Readonly<Record<string, unknown>>;
};

/** A request header over HTTP (`request`) or from the WebSocket upgrade (`req`). */
function headerOf(initial: InitialContext, name: string): string | undefined {
  const value = initial.request?.headers.get(name) ?? initial.req?.headers?.[name];
  return Array.isArray(value) ? value[0] : (value ?? undefined);
}

/** How a request may have come from elsewhere than its address says (see auth.ts), or null. */
function relayOf(initial: InitialContext): Relay | null {
  for (const name of PROXY_HEADERS) if (headerOf(initial, name) !== undefined) return 'proxy';
  return isCrossSite(headerOf(initial, 'origin'), headerOf(initial, 'host')) ? 'cross-site' : null;
}

/**
 * A fresh context per request or subscription operation (Pothos needs a new object each time).
 * It runs once per request: it creates no closures (under tsx each would be named at a cost).
 */
export function createContextFactory(deps: GraphQLDeps) {
  const sql = preparedStatements(deps.sql);
  const reads: ReadModels = {
    players: createPlayerReads(deps.prisma, sql),
    jobExecution: deps.prisma.jobExecution,
    jobConfiguration: deps.prisma.jobConfiguration,
    rankHistory: (puuids, options) => newestRankSnapshots(sql, puuids, options),
    analyses: (puuids, limit) => newestAnalyses(sql, puuids, limit),
  };
  return (initial: InitialContext): GraphQLContext => {
    const credential = initial.connectionParams
      ? connectionParamsToken(initial.connectionParams)
      : bearerToken(initial.request?.headers.get('authorization'));
    const address = initial.req?.socket?.remoteAddress ?? null;
    return {
      prismaForPlugin: deps.prisma,
      reads,
      players: deps.players,
      jobs: deps.jobs,
      engine: deps.engine,
      limiter: deps.limiter,
      pubsub: deps.pubsub,
      caller: deps.auth.identify(credential, address, relayOf(initial)),
      requestId: randomUUID(),
    };
  };
}
