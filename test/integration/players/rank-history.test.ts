import { afterAll, beforeAll, expect, test } from 'vitest';
import { newestRankSnapshots } from '../../../src/players/rank-history.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

const puuid = (letter: string) => letter.repeat(78);
const [A, B, C, NONE] = ['A', 'B', 'C', 'N'].map(puuid) as [string, string, string, string];

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql(
    `INSERT INTO players (puuid, platform) VALUES ($1, 'euw1'), ($2, 'euw1'), ($3, 'kr'), ($4, 'kr')`,
    [A, B, C, NONE],
  );
  // Microsecond times (now() has them), two queues, ties on captured_at (broken by id), a time
  // before 1970, and a player without any snapshot.
  await db.sql(
    `INSERT INTO rank_snapshots (puuid, queue_type, tier, rank, league_points, wins, losses, captured_at)
     SELECT p, CASE WHEN j % 3 = 0 THEN 'RANKED_FLEX_SR' ELSE 'RANKED_SOLO_5x5' END,
       (ARRAY['IRON','GOLD','DIAMOND'])[1 + j % 3], (ARRAY['I','II','IV'])[1 + j % 3],
       j * 7 % 100, 10 + j, j, now() - (j / 2) * interval '1 hour 1.234567 second'
     FROM unnest($1::text[]) p, generate_series(1, 12) j`,
    [[A, B, C]],
  );
  await db.sql(
    `INSERT INTO rank_snapshots (puuid, queue_type, tier, rank, league_points, wins, losses, captured_at)
     VALUES ($1, 'RANKED_SOLO_5x5', 'SILVER', 'III', 1, 2, 3, '1969-12-31 23:59:59.999999+00')`,
    [C],
  );
});
afterAll(async () => {
  await db?.drop();
});

/** What Prisma's own read returns for one player: the reference. */
const reference = (player: string, limit: number, queueType: string | null) =>
  db.prisma.rankSnapshot.findMany({
    where: { puuid: player, ...(queueType !== null && { queueType }) },
    orderBy: [{ capturedAt: 'desc' }, { id: 'desc' }],
    take: limit,
  });

test('the newest snapshots of each player equal Prisma’s own read of that player', async () => {
  for (const limit of [1, 3, 5, 50]) {
    for (const queueType of [null, 'RANKED_SOLO_5x5', 'RANKED_FLEX_SR', 'UNKNOWN']) {
      // Duplicates and unknown players are asked for too; each player is answered once.
      const found = await newestRankSnapshots(db.pool, [A, B, C, NONE, A, puuid('Z')], {
        limit,
        queueType,
      });
      for (const player of [A, B, C, NONE]) {
        const expected = await reference(player, limit, queueType);
        expect(found.get(player) ?? [], `${limit} ${queueType}`).toEqual(expected);
      }
    }
  }
});

test('no players: no statement, no snapshots', async () => {
  let statements = 0;
  const counted = {
    query: (...args: Parameters<typeof db.pool.query>) => {
      statements += 1;
      return db.pool.query(...args);
    },
  } as typeof db.pool;
  expect((await newestRankSnapshots(counted, [], { limit: 3, queueType: null })).size).toBe(0);
  expect(statements).toBe(0);
  await newestRankSnapshots(counted, [A], { limit: 3, queueType: null });
  expect(statements).toBe(1);
});
