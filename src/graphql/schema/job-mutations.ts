import { InputValidationError } from '@pothos/plugin-validation';
import { z } from 'zod';
import { JobInputError, JobNotFoundError } from '../../jobs/admin/errors.ts';
import type { JobSummary } from '../../jobs/admin/read-models.ts';
import type { ExecutionStatus } from '../../jobs/engine/index.ts';
import { builder } from '../builder.ts';
import { parseNumericId } from '../ids.ts';
import { ExecutionStatusEnum } from './enums.ts';
import { MUTATION_ERRORS } from './errors.ts';
import { JobRef } from './jobs.ts';

const idField = z.string().max(200, 'must be at most 200 characters');

const ConfigModeEnum = builder.enumType('ConfigMode', {
  values: {
    MERGE: { value: 'merge', description: 'Keys given replace those stored; others stay.' },
    REPLACE: { value: 'replace', description: 'The given object becomes the whole config.' },
  } as const,
});

const TriggerJobInput = builder.inputType('TriggerJobInput', {
  fields: (t) => ({ jobId: t.id({ validate: idField }) }),
});

const ConfigureJobInput = builder.inputType('ConfigureJobInput', {
  description: 'Fields left out are unchanged. Takes effect on the next run, without a restart.',
  fields: (t) => ({
    jobId: t.id({ validate: idField }),
    isActive: t.boolean({ required: false }),
    schedule: t.string({
      required: false,
      description:
        'Seconds (`120`), `interval:120`, `2 minutes` or 5-field cron; empty: JOB_INTERVAL_SECONDS.',
      validate: z.string().max(200, 'must be at most 200 characters').nullish(),
    }),
    config: t.field({
      type: 'JSON',
      required: false,
      description: "Checked by the job type's schema.",
    }),
    mode: t.field({ type: ConfigModeEnum, required: false, defaultValue: 'merge' }),
  }),
});

const CancelExecutionInput = builder.inputType('CancelExecutionInput', {
  fields: (t) => ({ executionId: t.id({ validate: idField }) }),
});

const ExecutionPayload = builder
  .objectRef<{ executionId: number; previousStatus?: ExecutionStatus }>('ExecutionPayload')
  .implement({
    fields: (t) => ({
      execution: t.prismaField({
        type: 'JobExecution',
        resolve: (query, payload, _args, ctx) =>
          ctx.reads.jobExecution.findUniqueOrThrow({
            ...query,
            where: { id: payload.executionId },
          }),
      }),
      previousStatus: t.field({
        type: ExecutionStatusEnum,
        nullable: true,
        description: 'Set by cancelExecution: the status it had.',
        resolve: (p) => p.previousStatus ?? null,
      }),
    }),
  });

const JobPayload = builder.objectRef<{ job: JobSummary }>('JobPayload').implement({
  fields: (t) => ({ job: t.field({ type: JobRef, resolve: (p) => p.job }) }),
});

builder.mutationFields((t) => ({
  triggerJob: t.field({
    type: ExecutionPayload,
    description: 'Queues a run now and returns its execution at once (pending, then running).',
    args: { input: t.arg({ type: TriggerJobInput }) },
    errors: { types: MUTATION_ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const executionId = await ctx.jobs.triggerJob(parseNumericId('Job', String(input.jobId)));
      return { executionId };
    },
  }),
  configureJob: t.field({
    type: JobPayload,
    description: "Changes a job's active flag, schedule and config (merged or replaced).",
    args: { input: t.arg({ type: ConfigureJobInput }) },
    errors: { types: MUTATION_ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const id = parseNumericId('Job', String(input.jobId));
      try {
        await ctx.jobs.configureJob(id, {
          ...(input.isActive != null && { isActive: input.isActive }),
          ...(input.schedule !== undefined && { schedule: input.schedule }),
          ...(input.config !== undefined && { config: input.config as Record<string, unknown> }),
          mode: input.mode ?? 'merge',
        });
      } catch (error) {
        // Each config problem at its path in the mutation's input.
        if (!(error instanceof JobInputError) || error.issues.length === 0) throw error;
        throw new InputValidationError({
          issues: error.issues.map((i) => ({ message: i.message, path: ['input', ...i.path] })),
        });
      }
      const updated = await ctx.jobs.getJob(id);
      if (!updated) throw new JobNotFoundError(id);
      return { job: updated };
    },
  }),
  cancelExecution: t.field({
    type: ExecutionPayload,
    description: 'Cancels a pending or running execution (CONFLICT once it has ended).',
    args: { input: t.arg({ type: CancelExecutionInput }) },
    errors: { types: MUTATION_ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const id = parseNumericId('JobExecution', String(input.executionId));
      const { previousStatus } = await ctx.jobs.cancelExecution(id);
      return { executionId: id, previousStatus: previousStatus as ExecutionStatus };
    },
  }),
}));
