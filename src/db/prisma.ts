import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import { PrismaClient } from '../generated/prisma/client.ts';

export type { PrismaClient } from '../generated/prisma/client.ts';

export type PoolSettings = { poolSize: number; maxOverflow: number };

/** What reads SQL straight through node-postgres (a pool, or a client of one). */
export type SqlReader = Pick<pg.Pool, 'query'>;

/**
 * The node-postgres pool riftwatch's database work shares: Prisma sends its statements through it,
 * and the few hot reads that skip Prisma's per-statement cost use it directly. Up to DB_POOL_SIZE
 * connections stay open once made; bursts may open DB_MAX_OVERFLOW more, which close again after
 * 10 s idle.
 */
export function createPool(url: string, settings: PoolSettings): pg.Pool {
  // The URL's parts rather than the URL itself: pg would let an `options` in the URL replace
  // the session settings below instead of adding to them.
  const fromUrl = parseIntoClientConfig(url);
  const pool = new pg.Pool({
    ...fromUrl,
    // Prisma's adapter reads a timestamptz's digits as UTC whatever offset the session gives it:
    // on a server or database set to another time zone, every time Prisma read would be off.
    options: [fromUrl.options, '-c TimeZone=UTC'].filter(Boolean).join(' '),
    max: settings.poolSize + settings.maxOverflow,
    // Connections opened beyond `min` close after idling: SQLAlchemy's pool_size + max_overflow.
    min: settings.poolSize,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection cut by the server (a restart, pg_terminate_backend) is dropped from the
  // pool and replaced on the next query; the error itself needs no handling.
  pool.on('error', () => {});
  return pool;
}

/** Prisma on the pool. The pool stays the caller's: end it after `$disconnect`. */
export function createPrisma(pool: pg.Pool): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pool) });
}
