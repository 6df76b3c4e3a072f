import type pg from 'pg';
import { LOCK_CLASS } from '../../db/advisory-locks.ts';
import type { Logger } from '../../logger.ts';
import { coerceError } from './errors.ts';

export type HandlerLockResult = 'taken' | 'held-elsewhere' | 'no-session';

/** How long a lock query may take on the dedicated session (an instant when it is alive). */
export const LOCK_QUERY_MS = 5000;

/**
 * Keeps two processes from running handlers of one configuration at once. A run's `running` row
 * already keeps others away, but only while the row says so: a row ended from outside (an
 * operator's cancel or emergency SQL, a stale sweep) frees the configuration while its handler
 * still winds down here. So a process also holds the session-level advisory lock
 * (LOCK_CLASS.handler, configuration id) on its dedicated session from before it claims a run
 * until the run is over; a process that cannot take it leaves the configuration alone. The lock
 * goes with the session: a process that dies holds nothing.
 *
 * PostgreSQL counts a session's takes of one lock, and so does `held`: a new session (after a
 * reconnect) takes again what the lost one held. One operation at a time: each sees the counts
 * the one before left.
 */
export function createHandlerLocks(deps: {
  /** The dedicated session while it is up; null while it reconnects. */
  session: () => pg.Client | null;
  logger: Logger;
}) {
  const held = new Map<number, number>();
  let attached: pg.Client | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => {});
    return run;
  };
  /** A session that does not answer within LOCK_QUERY_MS is ended: the listener reconnects and
   * the new session takes the locks again, rather than every run waiting on a dead connection. */
  const lock = async (session: pg.Client, configId: number, fn: 'lock' | 'unlock') => {
    let settled = false;
    const query = session.query<{ ok: boolean }>(
      `SELECT ${fn === 'lock' ? 'pg_try_advisory_lock' : 'pg_advisory_unlock'}($1::int, $2::int) AS ok`,
      [LOCK_CLASS.handler, configId],
    );
    const done = () => {
      settled = true;
    };
    query.then(done, done);
    let timer: NodeJS.Timeout | undefined;
    const silent = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        // After the sockets are read: an event loop held up past the timeout must not end a
        // session whose answer is already waiting.
        setImmediate(() => {
          if (settled) return;
          session.end().catch(() => {});
          reject(
            new Error(`The job engine's database session did not answer in ${LOCK_QUERY_MS} ms`),
          );
        });
      }, LOCK_QUERY_MS);
    });
    try {
      const { rows } = await Promise.race([query, silent]);
      return rows[0]?.ok === true;
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    take: (configId: number): Promise<HandlerLockResult> =>
      serial(async () => {
        const session = deps.session();
        if (!session || session !== attached) return 'no-session';
        try {
          if (!(await lock(session, configId, 'lock'))) return 'held-elsewhere';
        } catch (error) {
          deps.logger.warn(
            { err: coerceError(error), job_config_id: configId },
            'Could not take the handler lock',
          );
          return 'no-session';
        }
        held.set(configId, (held.get(configId) ?? 0) + 1);
        return 'taken';
      }),

    release: (configId: number): Promise<void> =>
      serial(async () => {
        const count = held.get(configId) ?? 0;
        if (count === 0) return;
        if (count === 1) held.delete(configId);
        else held.set(configId, count - 1);
        // A lost session took its locks with it.
        if (attached) await lock(attached, configId, 'unlock').catch(() => false);
      }),

    /** A new dedicated session: it takes the locks the lost one held for runs still going here. */
    attach: (session: pg.Client): Promise<void> =>
      serial(async () => {
        attached = session;
        for (const [configId, count] of held) {
          for (let i = 0; i < count; i++) {
            if (await lock(session, configId, 'lock')) continue;
            deps.logger.warn(
              { job_config_id: configId },
              'Another process took the handler lock while this one reconnected; the run here goes on',
            );
            break;
          }
        }
      }),
  };
}

export type HandlerLocks = ReturnType<typeof createHandlerLocks>;
