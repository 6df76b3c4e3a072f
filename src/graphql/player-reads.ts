import type { PrismaClient, SqlReader } from '../db/prisma.ts';
import type { MatchParticipant, Player, Prisma } from '../generated/prisma/client.ts';
import { PlayerInputError } from '../players/errors.ts';
import { type ParticipationPage, participationPages } from '../players/participation-pages.ts';
import {
  countPlayerRows,
  isPlayerField,
  type PlayerField,
  readPlayerRows,
} from '../players/player-rows.ts';
import {
  type CheckedPlayerFilter,
  checkPlayerFilter,
  flagsWhere,
  type PlayerFilter,
  puuidPast,
  TRACKED_ORDER,
} from '../players/read-models.ts';

/**
 * What a Player resolver is handed: plugin-prisma's selection (always a `select`: Player is a
 * select-mode type), and for a page its `take` and the PUUID it starts past: whatever the
 * client's cursor decoded to (checked here).
 */
export type PlayerQuery = Pick<Prisma.PlayerFindManyArgs, 'select' | 'take'> & { past?: unknown };

/** The fields a selection reads when they are all columns of the players table, else null. */
function flatFields(query: PlayerQuery): PlayerField[] | null {
  if (!query.select) return null;
  const fields: PlayerField[] = [];
  const select: Record<string, unknown> = query.select;
  for (const name in select) {
    if (select[name] !== true || !isPlayerField(name)) return null;
    fields.push(name);
  }
  return fields.length > 0 ? fields : null;
}

/**
 * plugin-prisma's selection of a page's participations: an `include` at most (MatchParticipation
 * is an include-mode type), so every column is read, the page's keys among them.
 */
export type ParticipationQuery = Pick<Prisma.MatchParticipantFindManyArgs, 'include'>;

/**
 * Reads of a search page with relations while players keep going between its two reads; past
 * that, the page is given short rather than read forever.
 */
const SEARCH_READS = 3;

function cursorOf({ past }: PlayerQuery): string | undefined {
  // A forged cursor may decode to a number or a date.
  if (past !== undefined && typeof past !== 'string') throw new PlayerInputError('Invalid cursor');
  return past;
}

/**
 * Player reads for the GraphQL layer. A selection of columns only (the usual listing: names, rank,
 * flags) is read through node-postgres in one statement; a selection with relations goes to
 * Prisma, which nests them into its query. Both give the same rows in the same order.
 */
export function createPlayerReads(prisma: PrismaClient, sql: SqlReader) {
  // Plugin-prisma's rows are typed as Players; ours carry the selected fields, as Prisma's do.
  const rows = (query: Parameters<typeof readPlayerRows>[1]) =>
    readPlayerRows(sql, query) as Promise<Player[]>;

  /**
   * A search's page with relations: its PUUIDs first, through the search index (Prisma can only
   * word a case-insensitive prefix as ILIKE, which reads every player and misses a final sigma),
   * then Prisma nests the relations of those rows. A player that went between the two reads
   * would leave the page short, which says there is no next one: the page is read again.
   */
  async function searchWithRelations(
    query: PlayerQuery,
    filter: CheckedPlayerFilter,
  ): Promise<Player[]> {
    for (let attempt = 1; ; attempt++) {
      const page = await readPlayerRows(sql, {
        fields: ['puuid'],
        filter,
        take: query.take,
        cursor: cursorOf(query),
      });
      const puuids = page.map((row) => row.puuid as string);
      const found = await prisma.player.findMany({
        select: query.select,
        where: { puuid: { in: puuids } },
      });
      if (found.length === puuids.length || attempt === SEARCH_READS) {
        const byPuuid = new Map(found.map((p) => [p.puuid, p]));
        return puuids.flatMap((puuid) => byPuuid.get(puuid) ?? []);
      }
    }
  }

  /** One player's newest (or, for a negative `take`, oldest) games, newest first. */
  async function firstMatchPage(
    puuid: string,
    take: number,
    query: ParticipationQuery,
  ): Promise<MatchParticipant[]> {
    const order = take < 0 ? 'asc' : 'desc';
    const args = {
      ...query,
      where: { puuid },
      orderBy: [{ gameStart: order }, { matchId: order }],
      take: Math.abs(take),
    } as Prisma.MatchParticipantFindManyArgs;
    const rows = (await prisma.matchParticipant.findMany(args)) as MatchParticipant[];
    return take < 0 ? rows.reverse() : rows;
  }

  return {
    /** A page of `players`, in PUUID order. */
    async page(query: PlayerQuery, filter: PlayerFilter): Promise<Player[]> {
      const checked = checkPlayerFilter(filter);
      const cursor = cursorOf(query);
      const fields = flatFields(query);
      if (fields) return rows({ fields, filter: checked, take: query.take, cursor });
      if (checked.riotIdPrefix !== undefined) return searchWithRelations(query, checked);
      const where = flagsWhere(checked);
      return prisma.player.findMany({
        select: query.select,
        where: cursor === undefined ? where : { AND: [where, puuidPast(cursor, query.take ?? 0)] },
        orderBy: { puuid: 'asc' },
        take: query.take,
      });
    },

    count(filter: PlayerFilter): Promise<number> {
      return countPlayerRows(sql, checkPlayerFilter(filter));
    },

    /** Tracked players, longest tracked first. */
    tracked(query: PlayerQuery): Promise<Player[]> {
      const filter: CheckedPlayerFilter = { isTracked: true };
      const fields = flatFields(query);
      if (!fields) {
        return prisma.player.findMany({
          select: query.select,
          where: flagsWhere(filter),
          orderBy: TRACKED_ORDER,
        });
      }
      return rows({ fields, filter, order: 'tracked' });
    },

    /** Flagged players, most recently analysed first. */
    recentlyFlagged(query: PlayerQuery, limit: number): Promise<Player[]> {
      return prisma.player.findMany({
        select: query.select,
        where: { isFlagged: true },
        orderBy: [{ lastAnalyzedAt: { sort: 'desc', nulls: 'last' } }, { puuid: 'asc' }],
        take: limit,
      });
    },

    /**
     * Each player's page of matches, with the page's selection: the page's keys from the index
     * (participation-pages.ts), then Prisma reads those rows and nests their relations. A row is
     * null where a participation went between the two reads, so the page's bounds stay right.
     * One player's first page (a player page) is Prisma's alone: without a cursor or other
     * parents it pages in SQL, one round trip fewer.
     */
    async matchPages(
      puuids: readonly string[],
      page: ParticipationPage,
      query: ParticipationQuery,
    ): Promise<Map<string, (MatchParticipant | null)[]>> {
      const players = [...new Set(puuids)];
      if (players.length === 1 && !page.cursor) {
        const [puuid] = players as [string];
        return new Map([[puuid, await firstMatchPage(puuid, page.take, query)]]);
      }
      const pages = await participationPages(sql, puuids, page);
      const matchIds = [...new Set([...pages.values()].flat())];
      if (matchIds.length === 0) return new Map();
      // Players of a page who met read each other's lines too: only the pages' own are kept.
      const where = { puuid: { in: [...pages.keys()] }, matchId: { in: matchIds } };
      const args = { ...query, where } as Prisma.MatchParticipantFindManyArgs;
      const found = (await prisma.matchParticipant.findMany(args)) as MatchParticipant[];
      const byPlayer = new Map<string, Map<string, MatchParticipant>>();
      for (const row of found) {
        const rows = byPlayer.get(row.puuid) ?? new Map<string, MatchParticipant>();
        byPlayer.set(row.puuid, rows.set(row.matchId, row));
      }
      return new Map(
        [...pages].map(([puuid, ids]) => [
          puuid,
          ids.map((id) => byPlayer.get(puuid)?.get(id) ?? null),
        ]),
      );
    },

    /**
     * One player: Prisma, which batches the lookups of one tick into one statement (aliases of
     * `player`, and every subscriber's `playerFlagged { player }` when an event arrives).
     */
    one(query: PlayerQuery, puuid: string): Promise<Player | null> {
      return prisma.player.findUnique({ select: query.select, where: { puuid } });
    },
  };
}

export type PlayerReads = ReturnType<typeof createPlayerReads>;
