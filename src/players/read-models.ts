import type { Prisma } from '../generated/prisma/client.ts';
import { PlayerInputError } from './errors.ts';
import { checkPlatform } from './input.ts';

export type PlayerFilter = {
  tracked?: boolean | null;
  analyzed?: boolean | null;
  flagged?: boolean | null;
  platform?: string | null;
  /** A Riot ID prefix (`gameName` or `gameName#ta…`), case-insensitive. */
  search?: string | null;
};

/** The longest Riot ID: 16 characters, `#`, 5 characters. */
const MAX_SEARCH_LENGTH = 22;

/** The Prisma filter for a player listing; throws PlayerInputError on a bad platform or search. */
export function playerWhere(filter: PlayerFilter): Prisma.PlayerWhereInput {
  const where: Prisma.PlayerWhereInput = {};
  if (filter.tracked != null) where.isTracked = filter.tracked;
  if (filter.analyzed != null) where.isAnalyzed = filter.analyzed;
  if (filter.flagged != null) where.isFlagged = filter.flagged;
  if (filter.platform != null) where.platform = checkPlatform(filter.platform);
  if (filter.search != null) {
    const search = filter.search.normalize('NFC').trim();
    if (search === '' || [...search].length > MAX_SEARCH_LENGTH) {
      throw new PlayerInputError(
        `Invalid search: expected 1–${MAX_SEARCH_LENGTH} characters of a Riot ID`,
      );
    }
    // Prisma passes startsWith to LIKE as is: `%` and `_` (both allowed in Riot IDs) must
    // match only themselves, so they are escaped (backslash is PostgreSQL's LIKE escape).
    where.riotId = { startsWith: search.replace(/[\\%_]/g, '\\$&'), mode: 'insensitive' };
  }
  return where;
}

/** Tracked players, longest tracked first (what listTracked returns). */
export const TRACKED_ORDER = [
  { trackedAt: 'asc' },
  { puuid: 'asc' },
] as const satisfies Prisma.PlayerOrderByWithRelationInput[];
