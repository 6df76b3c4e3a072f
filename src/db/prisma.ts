import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.ts';

export type { PrismaClient } from '../generated/prisma/client.ts';

export type PoolSettings = { poolSize: number; maxOverflow: number };

/**
 * Prisma on node-postgres. Up to DB_POOL_SIZE connections stay open once made; bursts may open
 * DB_MAX_OVERFLOW more, which close again after 10 s idle.
 */
export function createPrisma(url: string, pool: PoolSettings): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: url,
    max: pool.poolSize + pool.maxOverflow,
    // Connections opened beyond `min` close after idling: SQLAlchemy's pool_size + max_overflow.
    min: pool.poolSize,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: 10_000,
  });
  return new PrismaClient({ adapter });
}
