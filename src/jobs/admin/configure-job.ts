import type { PrismaClient } from '../../db/prisma.ts';
import type { JobConfiguration, Prisma } from '../../generated/prisma/client.ts';
import { type JobRegistry, type JobType, parseJobConfig, parseSchedule } from '../engine/index.ts';
import { JobInputError, JobNotFoundError } from './errors.ts';

export type ConfigureJobInput = {
  isActive?: boolean;
  /** null or '' → JOB_INTERVAL_SECONDS. */
  schedule?: string | null;
  config?: Record<string, unknown>;
  /** `merge` (default) keeps keys not given; `replace` stores `config` as is. */
  mode?: 'merge' | 'replace';
};

/**
 * Validates and applies a change to one configuration. The merge reads the row under
 * `FOR UPDATE`, so concurrent merges (and the runbook's `jsonb_set`) never drop each other's keys.
 * The NOTIFY trigger tells every engine; each reconciles (and clears config_error).
 */
export async function configureJob(
  deps: { prisma: PrismaClient; registry: JobRegistry; intervalSeconds: number },
  id: number,
  input: ConfigureJobInput,
): Promise<JobConfiguration> {
  if (!Number.isInteger(id)) throw new JobNotFoundError(id);
  const data: Prisma.JobConfigurationUpdateInput = {};
  if (input.isActive !== undefined) data.isActive = input.isActive;
  if (input.schedule !== undefined) {
    const schedule = input.schedule?.trim() ? input.schedule.trim() : null;
    try {
      parseSchedule(schedule, deps.intervalSeconds);
    } catch (error) {
      throw new JobInputError((error as Error).message);
    }
    data.schedule = schedule;
  }
  const patch = input.config;
  if (
    patch !== undefined &&
    (typeof patch !== 'object' || patch === null || Array.isArray(patch))
  ) {
    throw new JobInputError('config must be a JSON object', [
      { path: ['config'], message: 'config must be a JSON object' },
    ]);
  }
  const unstorable = patch === undefined ? null : unstorableText(patch);
  if (unstorable) {
    const message = 'config cannot hold U+0000 or half of a surrogate pair';
    throw new JobInputError(message, [{ path: ['config', ...unstorable], message }]);
  }
  return deps.prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ job_type: string; config_json: unknown }[]>`
      SELECT job_type, config_json FROM job_configurations WHERE id = ${id} FOR UPDATE`;
    const row = rows[0];
    if (!row) throw new JobNotFoundError(id);
    if (patch !== undefined) {
      const current = (row.config_json ?? {}) as Record<string, unknown>;
      const next = input.mode === 'replace' ? patch : { ...current, ...patch };
      const definition = deps.registry[row.job_type as JobType];
      if (!definition) throw new JobInputError(`Unknown job type ${row.job_type}`);
      const check = parseJobConfig(definition, next);
      if (!check.ok) {
        const issues = check.issues.map((i) => ({ ...i, path: ['config', ...i.path] }));
        throw new JobInputError(check.error, issues);
      }
      data.configJson = next as Prisma.InputJsonValue;
    }
    return tx.jobConfiguration.update({ where: { id }, data });
  });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is what it rejects
const UNSTORABLE = /\u0000|\p{Cs}/u;

type PathLink = { key: string | number; parent: PathLink | null } | null;

/**
 * The path to the first key or string in `value` that a jsonb column refuses (U+0000, or half of
 * a surrogate pair), or null. Walked without recursion: a body may nest thousands deep.
 */
function unstorableText(value: unknown): (string | number)[] | null {
  const stack: [unknown, PathLink][] = [[value, null]];
  const pathOf = (link: PathLink) => {
    const path: (string | number)[] = [];
    for (let at = link; at; at = at.parent) path.push(at.key);
    return path.reverse();
  };
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [item, link] = next;
    if (typeof item === 'string') {
      if (UNSTORABLE.test(item)) return pathOf(link);
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        const childLink = { key: Array.isArray(item) ? Number(key) : key, parent: link };
        if (UNSTORABLE.test(key)) return pathOf(childLink);
        stack.push([child, childLink]);
      }
    }
  }
  return null;
}
