import { InputValidationError, type StandardSchemaV1 } from '@pothos/plugin-validation';
import type { JobRegistry, JobType } from '../jobs/engine/index.ts';

/**
 * Checks a configureJob `config` with the job type's own schema (the engine registry's), so the
 * caller gets each problem with its path. The use-case checks again: it stays the authority.
 */
export async function checkJobConfig(
  registry: JobRegistry,
  job: { jobType: string; config: unknown },
  config: unknown,
  mode: 'merge' | 'replace',
): Promise<void> {
  const definition = registry[job.jobType as JobType];
  if (!definition) return;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new InputValidationError({
      issues: [{ message: 'config must be a JSON object', path: ['input', 'config'] }],
    });
  }
  const current = (job.config ?? {}) as Record<string, unknown>;
  const candidate = mode === 'replace' ? config : { ...current, ...config };
  const schema = definition.configSchema as unknown as StandardSchemaV1;
  const result = await schema['~standard'].validate(candidate);
  if (result.issues) {
    throw new InputValidationError({
      issues: result.issues.map((issue) => ({
        message: issue.message,
        path: ['input', 'config', ...(issue.path ?? [])],
      })),
    });
  }
}
