import type { Prisma } from '../generated/prisma/client.ts';
import { PlayerInputError } from './errors.ts';
import { checkPlatform } from './input.ts';

export type PlayerFilter = {
  tracked?: boolean | null;
  analyzed?: boolean | null;
  flagged?: boolean | null;
  platform?: string | null;
  /** A Riot ID prefix (`gameName` or `gameName#ta…`), case-insensitive (ς and σ alike). */
  search?: string | null;
};

/** A PlayerFilter checked and normalised: what each of its readers (Prisma, SQL) applies. */
export type CheckedPlayerFilter = {
  isTracked?: boolean;
  isAnalyzed?: boolean;
  isFlagged?: boolean;
  platform?: string;
  /** A LIKE pattern's prefix: `%`, `_` and `\` escaped with `\` (PostgreSQL's LIKE escape). */
  riotIdPrefix?: string;
};

/** The longest Riot ID: 16 characters, `#`, 5 characters. */
const MAX_SEARCH_LENGTH = 22;

/** Checks a player listing's filter; throws PlayerInputError on a bad platform or search. */
export function checkPlayerFilter(filter: PlayerFilter): CheckedPlayerFilter {
  const checked: CheckedPlayerFilter = {};
  if (filter.tracked != null) checked.isTracked = filter.tracked;
  if (filter.analyzed != null) checked.isAnalyzed = filter.analyzed;
  if (filter.flagged != null) checked.isFlagged = filter.flagged;
  if (filter.platform != null) checked.platform = checkPlatform(filter.platform);
  if (filter.search != null) {
    const search = filter.search.normalize('NFC').trim();
    // No Riot ID holds a control character (and PostgreSQL's text cannot hold U+0000).
    if (search === '' || [...search].length > MAX_SEARCH_LENGTH || /\p{Cc}/u.test(search)) {
      throw new PlayerInputError(
        `Invalid search: expected 1–${MAX_SEARCH_LENGTH} characters of a Riot ID`,
      );
    }
    // `%` and `_` (both allowed in Riot IDs) must match only themselves.
    checked.riotIdPrefix = search.replace(/[\\%_]/g, '\\$&');
  }
  return checked;
}

/**
 * A checked filter's flags as a Prisma filter. A Riot ID search has no Prisma form: it is read
 * through player-rows.ts, whose folded prefix ILIKE cannot express (a final sigma ς as σ).
 */
export function flagsWhere(filter: CheckedPlayerFilter): Prisma.PlayerWhereInput {
  const { riotIdPrefix, ...flags } = filter;
  if (riotIdPrefix !== undefined) throw new Error('A Riot ID search is read through SQL');
  return flags;
}

/**
 * The players past a page's cursor (a negative `take` reads backwards), as a bound rather than
 * Prisma's `cursor`: a cursor whose player has since left the filter (untracked, renamed) gave
 * Prisma no row to start from, so the next page lost a player (or was empty).
 */
export function puuidPast(cursor: string, take: number): Prisma.PlayerWhereInput {
  return { puuid: take < 0 ? { lt: cursor } : { gt: cursor } };
}

/** Tracked players, longest tracked first. */
export const TRACKED_ORDER = [
  { trackedAt: 'asc' },
  { puuid: 'asc' },
] as const satisfies Prisma.PlayerOrderByWithRelationInput[];
