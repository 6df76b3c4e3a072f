import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { type Loose, startGraphQL } from './harness.ts';

let db: TestDatabase;
let g: Awaited<ReturnType<typeof startGraphQL>>;

/** `f00`…`f59` analysed an hour apart (higher, later), padded to a PUUID's 78 characters. */
const flagged = (i: number) => `f${String(i).padStart(2, '0')}`.padEnd(78, 'x');
const NEVER_ANALYSED = 'a'.repeat(78);
const UNFLAGGED = 'z'.repeat(78);

beforeAll(async () => {
  db = await createTestDatabase();
  // Flagged players in PUUID order are the oldest flags: a PUUID-ordered page would miss the newest.
  await db.sql(
    `INSERT INTO players (puuid, platform, is_analyzed, is_flagged, last_analyzed_at)
     SELECT rpad('f' || lpad(i::text, 2, '0'), 78, 'x'), 'euw1', true, true,
            timestamptz '2026-01-01 00:00Z' + i * interval '1 hour'
     FROM generate_series(0, 59) i`,
  );
  await db.sql(
    `INSERT INTO players (puuid, platform, is_analyzed, is_flagged, last_analyzed_at)
     VALUES ($1, 'euw1', false, true, NULL), ($2, 'euw1', true, false, '2026-06-01')`,
    [NEVER_ANALYSED, UNFLAGGED],
  );
  g = await startGraphQL(db);
});
afterAll(async () => {
  await g?.stop();
  await db?.drop();
});

const listed = (r: { data?: Loose }) =>
  r.data?.recentlyFlaggedPlayers.map((p: { puuid: string }) => p.puuid);

test('recentlyFlaggedPlayers: the latest analyses first, 10 by default, unflagged left out', async () => {
  const r = await g.gql('{ recentlyFlaggedPlayers { puuid isFlagged } }');
  expect(r.errors).toBeUndefined();
  expect(listed(r)).toEqual(Array.from({ length: 10 }, (_, i) => flagged(59 - i)));
});

test('recentlyFlaggedPlayers(limit): a flagged player never analysed comes last', async () => {
  const r = await g.gql('{ recentlyFlaggedPlayers(limit: 100) { puuid } }');
  const puuids = listed(r);
  expect(puuids).toHaveLength(61);
  expect(puuids.at(-1)).toBe(NEVER_ANALYSED);
  expect(puuids).not.toContain(UNFLAGGED);
});

test.each([0, -1, 101, 2 ** 31 - 1])(
  'recentlyFlaggedPlayers(limit: %i) is INVALID_INPUT',
  async (limit) => {
    const r = await g.gql('query($n: Int) { recentlyFlaggedPlayers(limit: $n) { puuid } }', {
      n: limit,
    });
    expect(r.data?.recentlyFlaggedPlayers ?? null).toBeNull();
    expect(r.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
  },
);
