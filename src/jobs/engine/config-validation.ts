import type { z } from 'zod';
import type { JobDefinition } from './types.ts';

/** One problem of a config, at its path in the config. */
export type ConfigIssue = { path: (string | number)[]; message: string };

export type ConfigResult<T = unknown> =
  | { ok: true; config: T }
  | { ok: false; error: string; issues: ConfigIssue[] };

/**
 * Validates a `config_json` against a job's schema. Missing keys take the runbook's defaults;
 * unknown keys and wrong types fail with every problem named, e.g.
 * `Invalid config_json: max_tracked_players: Invalid input: expected number, received string`.
 */
export function parseJobConfig(definition: JobDefinition, json: unknown): ConfigResult {
  const result = definition.configSchema.safeParse(json ?? {});
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    error: `Invalid config_json: ${formatIssues(result.error.issues)}`,
    issues: result.error.issues.map((issue) => ({
      path: issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
      message: issue.message,
    })),
  };
}

function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
