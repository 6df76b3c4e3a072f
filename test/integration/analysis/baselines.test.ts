import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentBaselines } from '../../../src/analysis/baselines.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

/** `players` GOLD players with `games` solo games each, remade when `remade`. */
async function seed(prefix: string, players: number, games: number, remade: boolean) {
  await db.sql(
    `INSERT INTO players (puuid, platform, current_tier, current_rank)
     SELECT $1 || i, 'euw1', 'GOLD', 'II' FROM generate_series(1, $2) i`,
    [prefix, players],
  );
  await db.sql(
    `INSERT INTO matches (match_id, platform, queue_id, game_creation, game_start, game_duration_seconds)
     SELECT $1 || i || '_' || n, 'euw1', 420, t, t, CASE WHEN $4 THEN 200 ELSE 1800 END
     FROM generate_series(1, $2) i, generate_series(1, $3) n,
       LATERAL (SELECT now() - make_interval(hours => n) AS t) x`,
    [prefix, players, games, remade],
  );
  await db.sql(
    `INSERT INTO match_participants (match_id, puuid, participant_id, team_id, win, champion_id,
       champion_name, kills, deaths, assists, total_minions_killed, neutral_minions_killed,
       gold_earned, total_damage_dealt_to_champions, vision_score, champ_level, game_start,
       queue_id, team_position, game_ended_in_early_surrender)
     SELECT m.match_id, $1 || i, 1, 100, n % 2 = 0, 1, 'Annie', 5, 4, 6, 180, 0, 12000, 20000, 25,
       15, m.game_start, 420, 'MIDDLE', $4
     FROM generate_series(1, $2) i, generate_series(1, $3) n, matches m
     WHERE m.match_id = $1 || i || '_' || n`,
    [prefix, players, games, remade],
  );
}

describe('calibrated baselines', () => {
  it('sample only players with enough games that detection counts: remakes are not games', async () => {
    await seed('counted-', 150, 10, false);
    await seed('remade-', 20, 10, true);
    const { tag } = await currentBaselines(db.prisma, { minGames: 10, now: new Date() });
    expect(tag).toMatch(/^calibrated-150-/);
  });
});
