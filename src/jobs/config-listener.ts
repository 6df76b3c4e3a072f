import pg from 'pg';
import type { Logger } from '../logger.ts';
import { coerceError } from './errors.ts';

/** The channel the init migration's triggers notify on every change of job_configurations. */
export const JOB_CONFIG_CHANNEL = 'riftwatch_job_configurations';

/**
 * A dedicated connection LISTENing on JOB_CONFIG_CHANNEL (a pooled connection would lose the
 * LISTEN when returned). Reconnects with backoff; `onChange` also fires after each (re)connect,
 * since notifications sent while disconnected are lost.
 */
export function createConfigListener(options: {
  databaseUrl: string;
  logger: Logger;
  onChange(payload: string): void;
  reconnectMs?: number;
}): { start(): Promise<void>; stop(): Promise<void> } {
  const { logger } = options;
  const baseDelay = options.reconnectMs ?? 1000;
  let client: pg.Client | null = null;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let failures = 0;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: options.databaseUrl });
    next.on('notification', (message) => {
      if (message.channel === JOB_CONFIG_CHANNEL) options.onChange(message.payload ?? '*');
    });
    next.on('error', (error) => {
      logger.warn({ err: coerceError(error) }, 'Job configuration listener lost its connection');
      onLost(next);
    });
    next.on('end', () => onLost(next));
    await next.connect();
    await next.query(`LISTEN ${JOB_CONFIG_CHANNEL}`);
    client = next;
    failures = 0;
    options.onChange('*');
  };

  const onLost = (lost: pg.Client) => {
    // Only the current connection counts: a failed attempt is retried by retryLater's catch.
    if (stopped || client !== lost) return;
    client = null;
    lost.end().catch(() => {});
    retryLater();
  };

  const retryLater = () => {
    if (stopped || retryTimer) return;
    const delay = Math.min(baseDelay * 2 ** failures, 30_000);
    failures += 1;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect().catch((error: unknown) => {
        logger.warn({ err: coerceError(error) }, 'Job configuration listener could not reconnect');
        retryLater();
      });
    }, delay);
  };

  return {
    start: connect,
    async stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      const current = client;
      client = null;
      await current?.end().catch(() => {});
    },
  };
}
