import pg from 'pg';

/**
 * PostgreSQL's SQLSTATE of a failed statement: node-postgres puts it on the error, Prisma's raw
 * queries on the driver adapter's cause. Undefined for anything else.
 */
function sqlStateOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  // Prisma's own code (P2010, "raw query failed") is no SQLSTATE: its cause holds that.
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } })
    .meta;
  const original = meta?.driverAdapterError?.cause?.originalCode;
  if (typeof original === 'string') return original;
  if (!(error instanceof pg.DatabaseError)) return undefined;
  return error.code;
}

/**
 * Errors a statement meets again with the same values: a data exception (class 22: a value out
 * of range, a character the database cannot hold) or a NOT NULL or CHECK constraint.
 */
export function refusesTheValues(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state !== undefined && (state.startsWith('22') || state === '23502' || state === '23514');
}

/** A deadlock or serialization failure: the statement was rolled back and may simply be rerun. */
export function isRetryableConflict(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state === '40P01' || state === '40001';
}
