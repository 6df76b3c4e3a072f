import { toEvent } from '../../events/rate-limit-usage.ts';
import { builder } from '../builder.ts';
import { JobRef } from './jobs.ts';
import { RateLimitUsage, type RateLimitView } from './rate-limits.ts';

const Scheduler = builder
  .objectRef<{ enabled: boolean; workerId: string }>('SchedulerState')
  .implement({
    fields: (t) => ({
      enabled: t.exposeBoolean('enabled', {
        description: 'False with JOB_SCHEDULER_ENABLED=false: manual triggers only.',
      }),
      workerId: t.exposeString('workerId', { description: "This process's job worker." }),
    }),
  });

const StatusOverview = builder.objectRef<{ at: Date }>('StatusOverview').implement({
  description: 'The scheduler, the jobs, what runs now and the Riot API budget.',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    scheduler: t.field({
      type: Scheduler,
      resolve: (_s, _a, ctx) => ({
        enabled: ctx.engine.schedulerEnabled,
        workerId: ctx.engine.workerId,
      }),
    }),
    jobs: t.field({
      type: [JobRef],
      description: "Each job's last and next run.",
      resolve: (_s, _a, ctx) => ctx.jobs.listJobs(),
    }),
    runningExecutions: t.prismaField({
      type: ['JobExecution'],
      resolve: (query, _s, _a, ctx) =>
        ctx.reads.jobExecution.findMany({
          ...query,
          where: { status: 'running' },
          orderBy: { id: 'asc' },
        }),
    }),
    rateLimits: t.field({
      type: [RateLimitUsage],
      description: "This process's Riot rate limiter, per routing value.",
      resolve: (_s, _a, ctx): RateLimitView[] =>
        ctx.limiter.usage().map((usage) => ({ ...toEvent(usage), at: new Date() })),
    }),
  }),
});

builder.queryField('statusOverview', (t) =>
  t.field({ type: StatusOverview, resolve: () => ({ at: new Date() }) }),
);
