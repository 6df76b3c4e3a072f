import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createPool, createPrisma } from '../../../src/db/prisma.ts';
import {
  countPlayerRows,
  type PlayerField,
  readPlayerRows,
} from '../../../src/players/player-rows.ts';
import {
  type CheckedPlayerFilter,
  checkPlayerFilter,
  flagsWhere,
  puuidPast,
  TRACKED_ORDER,
} from '../../../src/players/read-models.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

const puuid = (i: number) => String(i).padStart(78, 'P');

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  // 40 players over two platforms, with every flag combination, Riot IDs with LIKE's special
  // characters and case, tracked at times that tie, and some without a Riot ID.
  await db.sql(
    `INSERT INTO players (puuid, game_name, tag_line, riot_id, platform, current_tier, current_lp,
       is_tracked, is_analyzed, is_flagged, tracked_at, pending_match_ids, summoner_level)
     SELECT lpad(i::text, 78, 'P'), n, 'EUW', CASE WHEN i % 9 = 0 THEN NULL ELSE n || '#EUW' END,
       CASE WHEN i % 2 = 0 THEN 'euw1' ELSE 'kr' END, CASE WHEN i % 4 = 0 THEN 'GOLD' END, i,
       i % 3 = 0, i % 5 < 2, i % 7 = 0,
       CASE WHEN i % 3 = 0 THEN timestamptz '2026-01-01' + (i % 4) * interval '1 hour' END,
       CASE WHEN i % 6 = 0 THEN ARRAY['EUW1_1', 'EUW1_2'] ELSE '{}' END, i * 10
     FROM (SELECT i, (ARRAY['Faker', 'fa_ker', 'FA%KER', 'Caps', 'caps\\x'])[1 + i % 5] || i AS n
           FROM generate_series(1, 40) i) s`,
  );
  // Greek names: Σ lowers to σ, and a final sigma ς stays as it is.
  await db.sql(
    `INSERT INTO players (puuid, riot_id, platform)
     SELECT lpad((49 + i)::text, 78, 'P'), n, 'euw1'
     FROM unnest(ARRAY['Σοφος#EUW', 'ΣΟΦΟΣ#GR', 'σοφοσ#GR', 'Σοφοξ#GR', '_ς%Σ#GR', '_ξ%σ#GR'])
       WITH ORDINALITY AS g(n, i)`,
  );
});
afterAll(async () => {
  await db?.drop();
});

const FIELDS: PlayerField[] = [
  'puuid',
  'riotId',
  'platform',
  'currentTier',
  'currentLp',
  'isTracked',
  'trackedAt',
  'pendingMatchIds',
  'summonerLevel',
];
const select = Object.fromEntries(FIELDS.map((f) => [f, true]));

const FILTERS = [
  {},
  { tracked: true },
  { tracked: false, platform: 'KR' },
  { analyzed: true, flagged: false },
  { flagged: true },
  { search: 'fa' },
  { search: 'FA%' },
  { search: 'fa_' },
  { search: 'caps\\' },
  { search: 'Faker1#e' },
  { search: 'nobody' },
  { search: 'ΣΟΦΟΣ' },
  { search: 'σοφος#g' },
  { search: '_Σ%ς' },
  { search: '_σ' },
].map(checkPlayerFilter);

const PAGES = [
  { take: 11 },
  { take: 4, cursor: 10 },
  { take: 50, cursor: 37 },
  { take: -4 },
  { take: -6, cursor: 20 },
  { take: -6, cursor: 2 },
  // A cursor no player has (any more): the page past it all the same.
  { take: 5, cursor: 99 },
  { take: -5, cursor: 99 },
];

/** A Riot ID as a search compares it: any case, a final sigma ς as σ. */
const folded = (text: string) => text.toLowerCase().replaceAll('ς', 'σ');

/**
 * The rows Prisma finds for the filter's flags, with its search (which Prisma's ILIKE cannot
 * word: a final sigma) applied here, from the unescaped prefix.
 */
async function prismaRows(filter: CheckedPlayerFilter, page?: (typeof PAGES)[number]) {
  const { riotIdPrefix, ...flags } = filter;
  const bound = page?.cursor === undefined ? [] : [puuidPast(puuid(page.cursor), page.take)];
  const rows: Record<string, unknown>[] = await db.prisma.player.findMany({
    select,
    where: { AND: [flagsWhere(flags), ...bound] },
    orderBy: { puuid: 'asc' },
  });
  const prefix = riotIdPrefix === undefined ? '' : folded(riotIdPrefix.replace(/\\(.)/gsu, '$1'));
  const found = rows.filter((row) =>
    folded((row.riotId as string | null) ?? '').startsWith(prefix),
  );
  if (page === undefined) return found;
  return page.take < 0 ? found.slice(page.take) : found.slice(0, page.take);
}

test('pages read in SQL equal Prisma’s findMany (and the search prefix): rows, values, types and order', async () => {
  let compared = 0;
  for (const filter of FILTERS) {
    for (const page of PAGES) {
      const expected = await prismaRows(filter, page);
      const rows = await readPlayerRows(db.pool, {
        fields: FIELDS,
        filter,
        take: page.take,
        cursor: page.cursor === undefined ? undefined : puuid(page.cursor),
      });
      expect(rows, JSON.stringify({ filter, page })).toEqual(expected);
      compared += expected.length;
    }
  }
  // The matrix reads real rows, not only empty pages.
  expect(compared).toBeGreaterThan(200);
});

test('counts equal the rows Prisma finds, for every filter', async () => {
  for (const filter of FILTERS) {
    expect(await countPlayerRows(db.pool, filter), JSON.stringify(filter)).toBe(
      (await prismaRows(filter)).length,
    );
  }
});

test('a search is answered from the Riot ID index, not by reading every player', async () => {
  const statements: { text: string; values: unknown[] }[] = [];
  const recorder = {
    query: (text: string, values: unknown[]) => {
      statements.push({ text, values });
      return db.pool.query(text, values);
    },
  } as unknown as typeof db.pool;
  for (const search of ['Faker1#e', 'ΣΟΦΟΣ']) {
    const filter = checkPlayerFilter({ search });
    await countPlayerRows(recorder, filter);
    await readPlayerRows(recorder, { fields: ['puuid'], filter, take: 51 });
  }
  // On 40 rows a scan is cheaper: forbid it, and see whether the index can answer at all.
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query('SET enable_seqscan = off');
    for (const { text, values } of statements) {
      const plan = await client.query(`EXPLAIN ${text}`, values);
      expect(JSON.stringify(plan.rows), text).toContain('players_riot_id_folded_search_idx');
    }
  } finally {
    await client.end();
  }
});

test('the tracked list in its order (ties broken by PUUID)', async () => {
  const tracked = await readPlayerRows(db.pool, {
    fields: FIELDS,
    filter: { isTracked: true },
    order: 'tracked',
  });
  expect(tracked).toEqual(
    await db.prisma.player.findMany({ select, where: { isTracked: true }, orderBy: TRACKED_ORDER }),
  );
  expect(tracked).toHaveLength(13);
});

const searched = async (search: string) =>
  (await readPlayerRows(db.pool, { fields: ['puuid'], filter: checkPlayerFilter({ search }) }))
    .map((row) => row.puuid)
    .sort();
const players = (...numbers: number[]) => numbers.map(puuid).sort();

test('a search matches `%`, `_` and `\\` literally, ignoring case', async () => {
  // Unescaped, `fa_` would match Faker… and FA%KER… as well, and `FA%` every Fa… name.
  expect(await searched('fa_')).toEqual(players(1, 6, 11, 16, 21, 26, 31));
  expect(await searched('FA%')).toEqual(players(2, 7, 12, 17, 22, 32, 37));
  expect(await searched('caps\\')).toEqual(players(4, 14, 19, 24, 29, 34, 39));
  expect(await searched('faker1')).toEqual(players(10, 15));
});

test('a search matches a final sigma ς and σ alike, in either case', async () => {
  for (const search of ['ΣΟΦΟΣ', 'σοφος', 'σοφοσ', 'Σοφος']) {
    expect(await searched(search), search).toEqual(players(50, 51, 52));
  }
  expect(await searched('σοφος#g')).toEqual(players(51, 52));
  expect(await searched('ΣΟΦΟ')).toEqual(players(50, 51, 52, 53));
  // Past escaped characters, a sigma is still the Riot ID's character at its place.
  expect(await searched('_Σ%ς')).toEqual(players(54));
  expect(await searched('_σ')).toEqual(players(54));
});

test('filter values are bound, never spliced into the statement', async () => {
  await db.sql(`INSERT INTO players (puuid, riot_id, platform) VALUES ($1, $2, 'euw1')`, [
    puuid(41),
    "O'Neil#EUW",
  ]);
  expect(await searched("x' OR 1=1 --")).toEqual([]);
  expect(await searched("o'n")).toEqual(players(41));
});

test('times are the same instants whatever time zone the database is set to', async () => {
  await db.sql(`ALTER DATABASE ${db.name} SET timezone TO 'Asia/Kathmandu'`);
  const pool = createPool(db.url, { poolSize: 0, maxOverflow: 1 });
  const prisma = createPrisma(pool);
  try {
    const expected = new Date('2026-01-01T03:00:00Z');
    const viaPrisma = await prisma.player.findUnique({
      select: { trackedAt: true },
      where: { puuid: puuid(3) },
    });
    const viaSql = (await readPlayerRows(pool, { fields: ['puuid', 'trackedAt'] })).find(
      (row) => row.puuid === puuid(3),
    );
    expect(viaPrisma?.trackedAt).toEqual(expected);
    expect(viaSql?.trackedAt).toEqual(expected);
  } finally {
    await prisma.$disconnect();
    await pool.end();
    await db.sql(`ALTER DATABASE ${db.name} RESET timezone`);
  }
});
