import { z } from 'zod';

export const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 20;

const pageSize = z
  .number()
  .int()
  .min(0, 'must not be negative')
  .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`)
  .nullish();

/**
 * Field-level validation of a connection's `first`/`last` (other arguments pass through). Both at
 * once would page from both ends; Prisma's paging would answer the last `first` rows.
 */
const pageArgs = z
  .looseObject({ first: pageSize, last: pageSize })
  .refine((args) => args.first == null || args.last == null, {
    message: 'Arguments "first" and "last" are not supported at the same time',
  });

/** A connection costs its page size times its selection. */
const connectionComplexity = (args: { first?: number | null; last?: number | null }) => ({
  field: 1,
  multiplier: Math.min(Math.max(args.first ?? args.last ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE),
});

export const connectionOptions = {
  defaultSize: DEFAULT_PAGE_SIZE,
  maxSize: MAX_PAGE_SIZE,
  validate: pageArgs,
  complexity: connectionComplexity,
} as const;
