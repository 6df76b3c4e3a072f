import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlayerInputs } from '../../../src/analysis/player-inputs.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const snapshots = (puuid: string, count: number, queue = 'RANKED_SOLO_5x5') =>
  db.sql(
    `INSERT INTO rank_snapshots (puuid, queue_type, tier, rank, league_points, wins, losses, captured_at)
     SELECT $1, $3, 'GOLD', 'II', n % 100, n, 0, now() - make_interval(hours => $2 - n)
     FROM generate_series(1, $2) n`,
    [puuid, count, queue],
  );

describe('loadPlayerInputs', () => {
  it("reads each player's newest solo snapshots only, however many were written", async () => {
    const veteran = 'V'.repeat(78);
    const newcomer = 'N'.repeat(78);
    await db.sql("INSERT INTO players (puuid, platform) VALUES ($1, 'euw1'), ($2, 'euw1')", [
      veteran,
      newcomer,
    ]);
    await snapshots(veteran, 400);
    await snapshots(veteran, 5, 'RANKED_FLEX_SR');
    await snapshots(newcomer, 2);

    const inputs = await loadPlayerInputs(db.prisma, [veteran, newcomer], { maxGames: 50 });
    const kept = inputs.get(veteran)?.snapshots ?? [];
    expect(kept).toHaveLength(250);
    // The newest: wins 151..400 (one more per snapshot).
    expect(Math.min(...kept.map((s) => s.wins))).toBe(151);
    expect(Math.max(...kept.map((s) => s.wins))).toBe(400);
    expect(
      inputs
        .get(newcomer)
        ?.snapshots.map((s) => s.wins)
        .sort(),
    ).toEqual([1, 2]);
  });
});
