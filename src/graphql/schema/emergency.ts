import { z } from 'zod';
import { builder } from '../builder.ts';
import { MUTATION_ERRORS } from './errors.ts';

const ConfirmInput = builder.inputType('ConfirmInput', {
  description: 'Emergency operations run only with `confirm: true`.',
  fields: (t) => ({
    confirm: t.boolean({
      validate: z.literal(true, { error: 'must be true to run an emergency operation' }),
    }),
  }),
});

const Count = (name: string, field: string, description: string) =>
  builder.objectRef<{ count: number }>(name).implement({
    fields: (t) => ({ [field]: t.exposeInt('count', { description }) }),
  });

const DisablePayload = Count(
  'DisableAllJobsPayload',
  'jobsDisabled',
  'Configurations set inactive.',
);
const FailPayload = builder
  .objectRef<{ failed: number; cancelled: number }>('FailRunningExecutionsPayload')
  .implement({
    fields: (t) => ({
      executionsFailed: t.exposeInt('failed', {
        description: "Running executions failed with 'Emergency stop'.",
      }),
      queuedCancelled: t.exposeInt('cancelled', {
        description: "Queued executions cancelled with 'Emergency stop'.",
      }),
    }),
  });
const ResetPayload = Count(
  'ResetJobStatePayload',
  'playersReset',
  'Players whose flags were reset.',
);

builder.mutationFields((t) => ({
  disableAllJobs: t.field({
    type: DisablePayload,
    description: 'Runbook "Disable All Jobs": every configuration set inactive.',
    args: { input: t.arg({ type: ConfirmInput }) },
    errors: { types: MUTATION_ERRORS },
    resolve: async (_root, _args, ctx) => ({ count: await ctx.jobs.disableAllJobs() }),
  }),
  failRunningExecutions: t.field({
    type: FailPayload,
    description:
      'Runbook "Clear Job Queue": running executions failed and aborted, queued ones cancelled.',
    args: { input: t.arg({ type: ConfirmInput }) },
    errors: { types: MUTATION_ERRORS },
    resolve: (_root, _args, ctx) => ctx.jobs.failRunningExecutions(),
  }),
  resetJobState: t.field({
    type: ResetPayload,
    description:
      'Runbook "Reset Job State": all execution history deleted, tracking and analysis flags reset.',
    args: { input: t.arg({ type: ConfirmInput }) },
    errors: { types: MUTATION_ERRORS },
    resolve: async (_root, _args, ctx) => ({
      count: (await ctx.jobs.resetJobState()).playersReset,
    }),
  }),
}));
