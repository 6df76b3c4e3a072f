import type { JobSummary, JobTypeStats } from '../../jobs/admin/read-models.ts';
import { JOB_TYPES, type JobType, parseSchedule } from '../../jobs/engine/index.ts';
import { builder } from '../builder.ts';
import { parseNumericId } from '../ids.ts';
import { ExecutionStatusEnum, TriggerEnum } from './enums.ts';

const JobTypeEnum = builder.enumType('JobType', {
  values: Object.fromEntries(JOB_TYPES.map((type) => [type, { value: type }])),
});

const JobRun = builder.objectRef<NonNullable<JobSummary['lastExecution']>>('JobRun').implement({
  description: "A job's latest execution, in brief (see `jobExecution` for all of it).",
  fields: (t) => ({
    executionId: t.globalID({ resolve: (run) => ({ type: 'JobExecution', id: run.id }) }),
    status: t.field({ type: ExecutionStatusEnum, resolve: (run) => run.status }),
    trigger: t.field({ type: TriggerEnum, resolve: (run) => run.trigger }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    errorMessage: t.exposeString('errorMessage', { nullable: true }),
  }),
});

export const JobRef = builder.objectRef<JobSummary>('Job');
builder.node(JobRef, {
  description: 'One row of job_configurations: a scheduled job.',
  id: { resolve: (job) => job.id },
  // A malformed id is INVALID_INPUT, as a JobExecution's is; an unknown one is null.
  loadOne: (id, ctx) => ctx.jobs.getJob(parseNumericId('Job', String(id))),
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'jobType' in value,
  fields: (t) => ({
    databaseId: t.exposeInt('id', { description: 'job_configurations.id.' }),
    jobType: t.field({ type: JobTypeEnum, resolve: (job) => job.jobType as JobType }),
    name: t.exposeString('name'),
    isActive: t.exposeBoolean('isActive'),
    schedule: t.exposeString('schedule', {
      nullable: true,
      description: 'As stored; null means every JOB_INTERVAL_SECONDS.',
    }),
    scheduleDescription: t.string({
      nullable: true,
      description: 'The parsed schedule, e.g. `every 300 s`; null when invalid (see configError).',
      resolve: (job, _args, ctx) => {
        try {
          return parseSchedule(job.schedule, ctx.engine.intervalSeconds).description;
        } catch {
          return null;
        }
      },
    }),
    config: t.field({ type: 'JSON', description: 'config_json.', resolve: (job) => job.config }),
    configError: t.exposeString('configError', {
      nullable: true,
      description: 'Why the job is not scheduled (invalid schedule or config).',
    }),
    nextRunAt: t.expose('nextRunAt', { type: 'DateTime', nullable: true }),
    lastRun: t.expose('lastExecution', { type: JobRun, nullable: true }),
    runningExecutionId: t.globalID({
      nullable: true,
      resolve: (job) =>
        job.runningExecutionId === null
          ? null
          : { type: 'JobExecution', id: job.runningExecutionId },
    }),
  }),
});

const JobStats = builder.objectRef<JobTypeStats>('JobTypeStats').implement({
  description: "One job type's executions since a moment (the runbook's statistics).",
  fields: (t) => ({
    jobType: t.exposeString('jobType'),
    totalExecutions: t.exposeInt('totalExecutions'),
    successful: t.exposeInt('successful'),
    failed: t.exposeInt('failed'),
    successRate: t.exposeFloat('successRate', { description: '0..1; the target is > 0.95.' }),
    avgDurationSeconds: t.exposeFloat('avgDurationSeconds', { nullable: true }),
    avgApiRequests: t.exposeFloat('avgApiRequests', { nullable: true }),
    maxApiRequests: t.exposeInt('maxApiRequests', { nullable: true }),
  }),
});

builder.queryFields((t) => ({
  jobs: t.field({
    type: [JobRef],
    description: 'Every job configuration with its last and next run.',
    resolve: (_root, _args, ctx) => ctx.jobs.listJobs(),
  }),
  job: t.field({
    type: JobRef,
    nullable: true,
    description: 'A job by global ID or job_configurations.id; null when there is none.',
    args: { id: t.arg.id() },
    resolve: (_root, args, ctx) => ctx.jobs.getJob(parseNumericId('Job', String(args.id))),
  }),
  jobStats: t.field({
    type: [JobStats],
    description: 'Per job type: success rate, average duration and API requests since `since`.',
    args: {
      since: t.arg({ type: 'DateTime', required: false, description: 'Default: 24 hours ago.' }),
    },
    resolve: (_root, args, ctx) => ctx.jobs.jobStats(args.since ?? undefined),
  }),
}));
