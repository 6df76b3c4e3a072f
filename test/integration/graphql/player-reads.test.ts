import { afterAll, beforeAll, expect, test } from 'vitest';
import { createPlayerReads } from '../../../src/graphql/player-reads.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql(
    `INSERT INTO players (puuid, platform, riot_id)
     SELECT lpad(i::text, 78, 'S'), 'euw1', 'Ana' || i || '#EUW' FROM generate_series(1, 7) i`,
  );
  await db.sql(
    `INSERT INTO players (puuid, platform, riot_id)
     SELECT lpad(i::text, 78, 'T'), 'euw1', 'Σοφος#' || i FROM generate_series(1, 7) i`,
  );
});
afterAll(() => db.drop());

/** A search's page with a relation, during which another process deletes a player it found. */
async function pageLosingAPlayer(search: string) {
  let deleted: string | null = null;
  // The search's first read returns; then another process deletes the second player it found.
  const sql = {
    query: async (text: string, values: unknown[]) => {
      const result = await db.pool.query(text, values);
      if (deleted === null && /LIKE/.test(text)) {
        deleted = result.rows[1]?.puuid as string;
        await db.sql('DELETE FROM players WHERE puuid = $1', [deleted]);
      }
      return result;
    },
  } as unknown as typeof db.pool;
  const reads = createPlayerReads(db.prisma, sql);
  // A page of 2 (and one more row, which says whether a next page exists), with a relation.
  const page = await reads.page(
    { select: { puuid: true, statusEvents: true }, take: 3 },
    { search },
  );
  return { deleted, puuids: page.map((p) => p.puuid) };
}

test('a search page with relations stays whole when a player is deleted between its reads', async () => {
  const { deleted, puuids } = await pageLosingAPlayer('ana');
  expect(deleted).not.toBeNull();
  expect(puuids).not.toContain(deleted);
  expect(puuids).toHaveLength(3);
});

test('a search page read again after a player went matches a final sigma ς as σ', async () => {
  const { deleted, puuids } = await pageLosingAPlayer('ΣΟΦΟΣ');
  expect(deleted).not.toBeNull();
  expect(puuids).not.toContain(deleted);
  expect(puuids).toHaveLength(3);
  expect(puuids.every((puuid) => puuid.startsWith('T'))).toBe(true);
});
