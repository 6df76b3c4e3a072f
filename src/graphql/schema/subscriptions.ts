import {
  CLIENT_BACKLOG,
  type ExecutionStatusEvent,
  type PlayerFlaggedEvent,
  type RateLimitUsageEvent,
} from '../../events/pubsub.ts';
import { toEvent } from '../../events/rate-limit-usage.ts';
import { ExecutionNotFoundError, JobNotFoundError } from '../../jobs/admin/errors.ts';
import type { ExecutionStatus, Trigger } from '../../jobs/engine/index.ts';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';
import { parseNumericId } from '../ids.ts';
import {
  type ExecutionState,
  snapshotThenChanges,
  type WatchOptions,
  watchExecutions,
  watchStatusChanges,
} from '../live.ts';
import { ExecutionStatusEnum, TriggerEnum } from './enums.ts';
import { progressOf } from './executions.ts';
import { RateLimitUsage, type RateLimitView } from './rate-limits.ts';

const JobProgress = builder.objectRef<ExecutionState>('JobProgress').implement({
  description: "An execution's state after a change: status, phase, counts and counters.",
  fields: (t) => ({
    executionId: t.globalID({ resolve: (s) => ({ type: 'JobExecution', id: s.executionId }) }),
    jobId: t.globalID({ resolve: (s) => ({ type: 'Job', id: s.jobConfigId }) }),
    jobType: t.exposeString('jobType'),
    status: t.field({ type: ExecutionStatusEnum, resolve: (s) => s.status }),
    phase: t.exposeString('phase', { nullable: true }),
    processed: t.exposeInt('processed'),
    total: t.exposeInt('total', { nullable: true }),
    apiRequestsMade: t.exposeInt('apiRequestsMade'),
    recordsCreated: t.exposeInt('recordsCreated'),
    recordsUpdated: t.exposeInt('recordsUpdated'),
    errorMessage: t.exposeString('errorMessage', { nullable: true }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

const StatusChange = builder.objectRef<ExecutionStatusEvent>('ExecutionStatusChange').implement({
  fields: (t) => ({
    executionId: t.globalID({ resolve: (e) => ({ type: 'JobExecution', id: e.executionId }) }),
    jobId: t.globalID({ resolve: (e) => ({ type: 'Job', id: e.jobConfigId }) }),
    jobType: t.exposeString('jobType'),
    status: t.field({ type: ExecutionStatusEnum, resolve: (e) => e.status }),
    trigger: t.field({ type: TriggerEnum, resolve: (e) => e.trigger }),
    errorMessage: t.exposeString('errorMessage', { nullable: true }),
    at: t.field({ type: 'DateTime', resolve: (e) => new Date(e.at) }),
  }),
});

const PlayerFlagged = builder.objectRef<PlayerFlaggedEvent>('PlayerFlagged').implement({
  fields: (t) => ({
    puuid: t.exposeString('puuid'),
    riotId: t.exposeString('riotId', { nullable: true }),
    smurfScore: t.exposeFloat('smurfScore'),
    confidence: t.exposeString('confidence'),
    at: t.field({ type: 'DateTime', resolve: (e) => new Date(e.at) }),
    player: t.prismaField({
      type: 'Player',
      nullable: true,
      resolve: (query, e, _args, ctx) => ctx.reads.players.one(query, e.puuid),
    }),
  }),
});

type Filter = { jobConfigId: number | null; executionId: number | null };

function filterOf(args: {
  jobId?: string | number | null;
  executionId?: string | number | null;
}): Filter {
  return {
    jobConfigId: args.jobId != null ? parseNumericId('Job', String(args.jobId)) : null,
    executionId:
      args.executionId != null ? parseNumericId('JobExecution', String(args.executionId)) : null,
  };
}

const matches = (f: Filter) => (e: { executionId: number; jobConfigId: number }) =>
  (f.jobConfigId === null || e.jobConfigId === f.jobConfigId) &&
  (f.executionId === null || e.executionId === f.executionId);

/** The rows a new subscriber starts from: the execution asked for, or what is queued or running. */
async function currentRows(ctx: GraphQLContext, f: Filter) {
  const rows = await ctx.reads.jobExecution.findMany({
    where: {
      ...(f.executionId !== null
        ? { id: f.executionId }
        : { status: { in: ['pending', 'running'] } }),
      ...(f.jobConfigId !== null && { jobConfigId: f.jobConfigId }),
    },
    include: { jobConfig: { select: { jobType: true } } },
    orderBy: { id: 'asc' },
  });
  if (f.executionId !== null && rows.length === 0) throw new ExecutionNotFoundError(f.executionId);
  // Else a subscriber to a job that does not exist would wait for events that never come.
  if (f.jobConfigId !== null && rows.length === 0) {
    const job = await ctx.reads.jobConfiguration.findUnique({
      where: { id: f.jobConfigId },
      select: { id: true },
    });
    if (!job) throw new JobNotFoundError(f.jobConfigId);
  }
  return rows;
}

async function currentStates(ctx: GraphQLContext, f: Filter): Promise<ExecutionState[]> {
  return (await currentRows(ctx, f)).map((row) => {
    const progress = progressOf(row.progress);
    return {
      executionId: row.id,
      jobConfigId: row.jobConfigId,
      jobType: row.jobConfig.jobType,
      status: row.status as ExecutionStatus,
      phase: progress?.phase ?? null,
      processed: progress?.processed ?? 0,
      total: progress?.total ?? null,
      apiRequestsMade: row.apiRequestsMade,
      recordsCreated: row.recordsCreated,
      recordsUpdated: row.recordsUpdated,
      errorMessage: row.errorMessage,
      at: new Date(),
      progressAt: progress?.updatedAt ?? null,
    };
  });
}

/** Each row's status as the event that set it, stamped with the time it was reached. */
async function currentStatuses(ctx: GraphQLContext, f: Filter): Promise<ExecutionStatusEvent[]> {
  return (await currentRows(ctx, f)).map((row) => ({
    executionId: row.id,
    jobConfigId: row.jobConfigId,
    jobType: row.jobConfig.jobType,
    status: row.status as ExecutionStatus,
    trigger: row.trigger as Trigger,
    errorMessage: row.errorMessage,
    at: (row.completedAt ?? row.startedAt ?? row.createdAt).toISOString(),
  }));
}

/**
 * What an execution subscription watches: its ids checked now (a bad one refuses the
 * subscription), the current state read by `read`; with `executionId`, to its final status.
 */
function watching<T>(
  ctx: GraphQLContext,
  args: Parameters<typeof filterOf>[0],
  read: (ctx: GraphQLContext, f: Filter) => Promise<T[]>,
): WatchOptions<T> {
  const f = filterOf(args);
  return {
    pubsub: ctx.pubsub,
    matches: matches(f),
    initial: () => read(ctx, f),
    endOnFinal: f.executionId !== null,
  };
}

// An event from a process of an earlier version carries no queue or block.
const toView = (e: RateLimitUsageEvent): RateLimitView => ({
  ...e,
  queued: e.queued ?? null,
  blockedForMs: e.blockedForMs ?? null,
  at: new Date(e.at),
});

builder.subscriptionFields((t) => ({
  jobProgress: t.field({
    type: JobProgress,
    description:
      'Current state first, then every progress or status change. With `executionId`, ends after its final status.',
    args: { jobId: t.arg.id({ required: false }), executionId: t.arg.id({ required: false }) },
    subscribe: (_root, args, ctx) => watchExecutions(watching(ctx, args, currentStates)),
    resolve: (state) => state,
  }),
  executionStatusChanged: t.field({
    type: StatusChange,
    description:
      'Execution status changes (pending, running, final), optionally filtered: the current status of each queued or running execution (or of the one asked for) first. With `executionId`, ends after its final status.',
    args: { jobId: t.arg.id({ required: false }), executionId: t.arg.id({ required: false }) },
    subscribe: (_root, args, ctx) => watchStatusChanges(watching(ctx, args, currentStatuses)),
    resolve: (event) => event,
  }),
  rateLimitUsage: t.field({
    type: RateLimitUsage,
    description: "Riot API budget use per routing value: this process's now, then every change.",
    args: { routing: t.arg.string({ required: false, description: 'e.g. `euw1`.' }) },
    subscribe: (_root, args, ctx) => {
      const wanted = (routing: string) => args.routing == null || routing === args.routing;
      return snapshotThenChanges({
        pubsub: ctx.pubsub,
        topic: 'rateLimitUsage',
        snapshot: () =>
          ctx.limiter
            .usage()
            .filter((u) => wanted(u.routing))
            .map((u) => toView(toEvent(u))),
        fromEvent: (e) => (wanted(e.routing) ? toView(e) : null),
      });
    },
    resolve: (usage) => usage,
  }),
  playerFlagged: t.field({
    type: PlayerFlagged,
    description: 'Players flagged by an analysis, as it happens.',
    subscribe: (_root, _args, ctx) => ctx.pubsub.subscribe('playerFlagged', CLIENT_BACKLOG),
    resolve: (event) => event,
  }),
}));
