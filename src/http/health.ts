import type { Logger } from '../logger.ts';
import type { HealthCheck } from './app.ts';

export type HealthProbe = () => Promise<unknown>;

/**
 * /health from probes of the parts riftwatch needs (the database, the job store): each is `up`
 * or `down`, and any part down makes the whole `degraded` (HTTP 503) with `failing` naming it.
 * A probe that does not answer within `timeoutMs` is down (a stalled connection must not hang
 * the check). Nothing is cached: the next check after a recovery says `ok` again. Reasons go to
 * the log, not the body, which anyone may read.
 */
export function createHealthCheck(options: {
  probes: Record<string, HealthProbe>;
  details?: () => Record<string, unknown>;
  logger: Logger;
  timeoutMs?: number;
}): HealthCheck {
  const timeoutMs = options.timeoutMs ?? 3000;
  const down = new Set<string>();
  const probe = async (name: string, run: HealthProbe): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([run(), timeout]);
      if (down.delete(name)) options.logger.info({ part: name }, 'Health: part recovered');
      return true;
    } catch (error) {
      if (!down.has(name)) options.logger.warn({ err: error, part: name }, 'Health: part down');
      down.add(name);
      return false;
    } finally {
      clearTimeout(timer);
    }
  };
  return async () => {
    const names = Object.keys(options.probes);
    const results = await Promise.all(
      names.map((name) => probe(name, options.probes[name] as HealthProbe)),
    );
    const failing = names.filter((_, i) => !results[i]);
    const parts = Object.fromEntries(names.map((name, i) => [name, results[i] ? 'up' : 'down']));
    return {
      status: failing.length > 0 ? 'degraded' : 'ok',
      ...(failing.length > 0 && { failing }),
      ...parts,
      ...options.details?.(),
    };
  };
}
