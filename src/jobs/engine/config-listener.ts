import pg from 'pg';
import type { Logger } from '../../logger.ts';
import { coerceError } from './errors.ts';

/** The channel the init migration's triggers notify on every change of job_configurations. */
export const JOB_CONFIG_CHANNEL = 'riftwatch_job_configurations';

/** How long stop() waits for a connect in flight to end its client. */
const STOP_WAIT_MS = 5000;

/**
 * A dedicated connection LISTENing on JOB_CONFIG_CHANNEL (a pooled connection would lose the
 * LISTEN when returned). Reconnects with backoff; `onChange` also fires after each (re)connect,
 * since notifications sent while disconnected are lost. After stop() (even one that arrives while
 * a connect is in flight) no connection is left and `onChange` is not called again.
 */
export function createConfigListener(options: {
  databaseUrl: string;
  logger: Logger;
  onChange(payload: string): void;
  /** Runs on each new connection before it is used (the engine takes its liveness lock). */
  onConnected?(session: pg.Client): Promise<void>;
  reconnectMs?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
}): { start(): Promise<void>; stop(): Promise<void>; session(): pg.Client | null } {
  const { logger } = options;
  const baseDelay = options.reconnectMs ?? 500;
  let client: pg.Client | null = null;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let failures = 0;

  /** The connect in flight, if any: stop() waits for it (bounded) so it cannot outlive stop(). */
  let attempt: Promise<void> | null = null;

  const open = async (): Promise<void> => {
    if (stopped) return;
    // A server that accepts TCP but never answers must not stall reconnection forever.
    // keepAlive: a silently dead peer (NAT reset, failover) is noticed, not waited on forever.
    const next = new pg.Client({
      connectionString: named(options.databaseUrl, options.applicationName),
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      application_name: options.applicationName ?? 'riftwatch-listener',
    });
    next.on('notification', (message) => {
      if (stopped) return;
      if (message.channel === JOB_CONFIG_CHANNEL) options.onChange(message.payload ?? '*');
    });
    next.on('error', (error) => {
      logger.warn({ err: coerceError(error) }, 'Job configuration listener lost its connection');
      onLost(next);
    });
    next.on('end', () => onLost(next));
    try {
      await next.connect();
      // stop() arrived meanwhile: this client is nobody's to end but ours (checked again below).
      if (!stopped) await next.query(`LISTEN ${JOB_CONFIG_CHANNEL}`);
      if (!stopped) await options.onConnected?.(next);
    } catch (error) {
      // Connected but LISTEN failed (or the connect did): this client is not kept, so end it.
      next.end().catch(() => {});
      throw error;
    }
    if (stopped) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
    failures = 0;
    options.onChange('*');
  };

  const connect = (): Promise<void> => {
    const current = open();
    attempt = current;
    current
      .finally(() => {
        if (attempt === current) attempt = null;
      })
      .catch(() => {});
    return current;
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
    // Short: while disconnected this worker misses configuration changes.
    const delay = Math.min(baseDelay * 2 ** failures, 5_000);
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
    /** The connection while it is up (onConnected done); null while reconnecting or stopped. */
    session: () => client,
    async stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      const current = client;
      client = null;
      // A connect in flight ends its own client once its await returns (ending a pg client
      // mid-connect would leave its connect() pending forever). Bounded: a connect to an
      // unresponsive server must not hold up shutdown; it still ends the client when it settles.
      const inFlight = attempt;
      let timer: NodeJS.Timeout | undefined;
      await Promise.all([
        current?.end().catch(() => {}),
        inFlight &&
          Promise.race([
            inFlight.catch(() => {}),
            new Promise<void>((resolve) => {
              timer = setTimeout(resolve, STOP_WAIT_MS);
            }),
          ]).finally(() => clearTimeout(timer)),
      ]);
    },
  };
}

/** `url` with `name` as its application_name: pg lets one in the URL win over the option. */
function named(url: string, name: string | undefined): string {
  if (!name) return url;
  const parsed = new URL(url);
  parsed.searchParams.set('application_name', name);
  return parsed.toString();
}
