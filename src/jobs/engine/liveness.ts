import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import { LOCK_CLASS } from '../../db/advisory-locks.ts';
import type { PrismaClient } from '../../db/prisma.ts';

/** `host:pid:random`: readable in logs and rows; the random part makes every engine distinct. */
export function createWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/**
 * Advisory lock class (the two-key form) of worker liveness. Each engine holds the lock
 * (WORKER_LOCK_CLASS, hashtext(worker id)) on its dedicated database session for as long as it
 * lives. When its process dies, however it dies and on whatever host or container, the server
 * ends that session and frees the lock: a free lock means a dead worker, without guessing from
 * host names, pids or clocks. (Needs session-level locks: no transaction-pooling proxy between.)
 */
export const WORKER_LOCK_CLASS = LOCK_CLASS.worker;

/** Takes this worker's liveness lock on `session` (its dedicated connection). */
export async function holdWorkerLock(session: pg.Client, workerId: string): Promise<void> {
  const { rows } = await session.query<{ ok: boolean }>(
    'SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS ok',
    [WORKER_LOCK_CLASS, workerId],
  );
  if (!rows[0]?.ok) throw new Error(`Worker lock of ${workerId} is held by another session`);
}

/** Whether the worker's liveness lock is free, i.e. its process is gone. */
export async function isWorkerGone(prisma: PrismaClient, workerId: string): Promise<boolean> {
  // CASE, not AND: the unlock must run only when the try succeeded (AND has no evaluation order).
  const rows = await prisma.$queryRaw<{ gone: boolean }[]>`
    SELECT CASE WHEN pg_try_advisory_lock(${WORKER_LOCK_CLASS}::int, hashtext(${workerId}))
      THEN pg_advisory_unlock(${WORKER_LOCK_CLASS}::int, hashtext(${workerId}))
      ELSE false END AS gone`;
  return rows[0]?.gone === true;
}
