import { AppError, ERROR_CODE } from '../../errors.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { ExecutionStatus, Trigger } from '../../jobs/engine/index.ts';
import { builder } from '../builder.ts';
import { parseNumericId } from '../ids.ts';
import { ExecutionStatusEnum, TriggerEnum } from './enums.ts';
import { connectionOptions } from './pagination.ts';

type Progress = { phase: string; processed: number; total: number | null; updatedAt: Date | null };
type LogEntry = { at: Date | null; item: string; error: string };

const record = (v: unknown) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
const date = (v: unknown) =>
  typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? new Date(v) : null;

export function progressOf(json: unknown): Progress | null {
  const p = record(json);
  if (!p || typeof p.phase !== 'string') return null;
  return {
    phase: p.phase,
    processed: typeof p.processed === 'number' ? p.processed : 0,
    total: typeof p.total === 'number' ? p.total : null,
    updatedAt: date(p.updatedAt),
  };
}

const ProgressRef = builder.objectRef<Progress>('ExecutionProgress').implement({
  description: 'What a run is doing: its phase and how far it got.',
  fields: (t) => ({
    phase: t.exposeString('phase', { description: 'e.g. `players`, `matches`, `analysis`.' }),
    processed: t.exposeInt('processed'),
    total: t.exposeInt('total', { nullable: true, description: 'Null when not known.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
  }),
});

const LogEntryRef = builder.objectRef<LogEntry>('ExecutionLogEntry').implement({
  description: 'One item (player, match…) that failed without failing the run.',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime', nullable: true }),
    item: t.exposeString('item'),
    error: t.exposeString('error'),
  }),
});

builder.prismaNode('JobExecution', {
  description: 'One run of a job, from queued (pending) to its final status.',
  id: { field: 'id' },
  // `node(id:)`: an unknown execution is null, an id that is no job_executions.id INVALID_INPUT.
  nullable: true,
  findUnique: (id) => ({ id: parseNumericId('JobExecution', String(id)) }),
  fields: (t) => ({
    databaseId: t.exposeInt('id', { description: 'job_executions.id.' }),
    jobId: t.globalID({ resolve: (e) => ({ type: 'Job', id: e.jobConfigId }) }),
    jobName: t.string({
      select: { jobConfig: { select: { name: true } } },
      resolve: (e) => e.jobConfig.name,
    }),
    jobType: t.string({
      select: { jobConfig: { select: { jobType: true } } },
      resolve: (e) => e.jobConfig.jobType,
    }),
    status: t.field({ type: ExecutionStatusEnum, resolve: (e) => e.status as ExecutionStatus }),
    trigger: t.field({ type: TriggerEnum, resolve: (e) => e.trigger as Trigger }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    durationSeconds: t.float({
      nullable: true,
      resolve: (e) =>
        e.startedAt && e.completedAt
          ? (e.completedAt.getTime() - e.startedAt.getTime()) / 1000
          : null,
    }),
    heartbeatAt: t.expose('heartbeatAt', { type: 'DateTime', nullable: true }),
    workerId: t.exposeString('workerId', { nullable: true }),
    apiRequestsMade: t.exposeInt('apiRequestsMade'),
    recordsCreated: t.exposeInt('recordsCreated'),
    recordsUpdated: t.exposeInt('recordsUpdated'),
    errorMessage: t.exposeString('errorMessage', { nullable: true }),
    progress: t.field({
      type: ProgressRef,
      nullable: true,
      resolve: (e) => progressOf(e.progress),
    }),
    log: t.field({
      type: [LogEntryRef],
      description: 'Items that failed (the first 200).',
      resolve: (e) =>
        (Array.isArray(e.executionLog) ? e.executionLog : []).flatMap((raw) => {
          const entry = record(raw);
          return entry
            ? [
                {
                  at: date(entry.at),
                  item: String(entry.item ?? ''),
                  error: String(entry.error ?? ''),
                },
              ]
            : [];
        }),
    }),
  }),
});

/** A forged cursor may decode to any JSON value; an execution's id is a positive int4. */
function checkIdCursor(cursor: { id?: unknown } | undefined): void {
  const id = cursor?.id;
  if (cursor && !(Number.isInteger(id) && (id as number) >= 1 && (id as number) <= 2 ** 31 - 1)) {
    throw new AppError(ERROR_CODE.invalidInput, 'Invalid cursor');
  }
}

function executionWhere(args: {
  jobId?: string | number | null;
  status?: string | null;
  since?: Date | null;
}): Prisma.JobExecutionWhereInput {
  return {
    ...(args.jobId != null && { jobConfigId: parseNumericId('Job', String(args.jobId)) }),
    ...(args.status != null && { status: args.status }),
    ...(args.since != null && { createdAt: { gte: args.since } }),
  };
}

builder.queryFields((t) => ({
  jobExecutions: t.prismaConnection({
    type: 'JobExecution',
    cursor: 'id',
    ...connectionOptions,
    description: 'Executions, newest first.',
    args: {
      jobId: t.arg.id({ required: false }),
      status: t.arg({ type: ExecutionStatusEnum, required: false }),
      since: t.arg({ type: 'DateTime', required: false, description: 'Created at or after.' }),
    },
    totalCount: (_parent, args, ctx) =>
      ctx.reads.jobExecution.count({ where: executionWhere(args) }),
    resolve: (query, _root, args, ctx) => {
      checkIdCursor(query.cursor);
      // Past the cursor's id, not from its row: a row that has since left the filter (its status
      // changed, it was deleted) would leave Prisma nowhere to start, and a row unread.
      const { cursor, skip: _skip, ...page } = query;
      const where = executionWhere(args);
      const past = cursor && { id: (page.take ?? 0) < 0 ? { gt: cursor.id } : { lt: cursor.id } };
      return ctx.reads.jobExecution.findMany({
        ...page,
        where: past ? { AND: [where, past] } : where,
        orderBy: { id: 'desc' },
      });
    },
  }),
  jobExecution: t.prismaField({
    type: 'JobExecution',
    nullable: true,
    description: 'An execution by global ID or job_executions.id; null when there is none.',
    args: { id: t.arg.id() },
    resolve: (query, _root, args, ctx) =>
      ctx.reads.jobExecution.findUnique({
        ...query,
        where: { id: parseNumericId('JobExecution', String(args.id)) },
      }),
  }),
}));
