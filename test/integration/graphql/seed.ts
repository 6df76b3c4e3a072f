import type { TestDatabase } from '../../helpers/database.ts';

/** A valid-looking PUUID (78 characters) from a letter. */
export const puuidOf = (letter: string) => letter.repeat(78);

export const ALICE = puuidOf('A');
export const BOB = puuidOf('B');
export const CAROL = puuidOf('C');

/**
 * Three players: Alice (euw1, tracked, analyzed, flagged, 3 matches, rank history, analyses,
 * status events), Bob (kr, discovered only), Carol (euw1, tracked).
 */
export async function seedPlayers(db: TestDatabase): Promise<void> {
  await db.sql(
    `INSERT INTO players (puuid, game_name, tag_line, riot_id, platform, summoner_level, current_tier,
       current_rank, current_lp, current_wins, current_losses, is_tracked, is_analyzed, is_flagged,
       tracked_at)
     VALUES ($1, 'Alice', 'EUW', 'Alice#EUW', 'euw1', 31, 'GOLD', 'II', 40, 20, 10, true, true, true, now()),
            ($2, 'Bob', 'KR1', 'Bob#KR1', 'kr', 120, NULL, NULL, NULL, NULL, NULL, false, false, false, NULL),
            ($3, 'Carol', '100%', 'Carol#100%', 'euw1', 300, 'IRON', 'IV', 0, 1, 9, true, false, false, now())`,
    [ALICE, BOB, CAROL],
  );
  for (const [i, day] of [3, 1, 2].entries()) {
    const id = `EUW1_${1000 + i}`;
    await db.sql(
      `INSERT INTO matches (match_id, platform, queue_id, game_creation, game_start, game_duration_seconds)
       VALUES ($1, 'euw1', 420, $2, $2, 1800)`,
      [id, new Date(Date.UTC(2026, 0, day, 12))],
    );
    await db.sql(
      `INSERT INTO match_participants (match_id, puuid, participant_id, team_id, win, champion_id,
         champion_name, kills, deaths, assists, total_minions_killed, neutral_minions_killed,
         gold_earned, total_damage_dealt_to_champions, vision_score, champ_level,
         riot_id_game_name, riot_id_tagline)
       VALUES ($1, $2, 1, 100, true, 103, 'Ahri', $3, 2, 8, 180, 20, 12000, 25000, 30, 16, 'Alice', 'EUW')`,
      [id, ALICE, 10 + day],
    );
  }
  await db.sql(
    `INSERT INTO rank_snapshots (puuid, queue_type, tier, rank, league_points, wins, losses, captured_at)
     VALUES ($1, 'RANKED_SOLO_5x5', 'SILVER', 'I', 90, 10, 8, now() - interval '2 days'),
            ($1, 'RANKED_SOLO_5x5', 'GOLD', 'II', 40, 20, 10, now() - interval '1 day'),
            ($1, 'RANKED_FLEX_SR', 'BRONZE', 'I', 5, 2, 2, now())`,
    [ALICE],
  );
  await db.sql(
    `INSERT INTO player_analyses (puuid, algorithm_version, smurf_score, smurf_confidence, smurf_factors,
       boosted_score, boosted_factors, games_analyzed, is_flagged, created_at)
     VALUES ($1, '1.0', 0.3, 'none', '[]', 0.1, '[]', 10, false, now() - interval '1 day'),
            ($1, '1.1', 0.85, 'high',
             '[{"name":"win_rate","score":0.9,"weight":0.18,"explanation":"Wins 80% of 20 games","games":20}]',
             0.2, '{"duo_dependence":{"score":0.4,"explanation":"Plays 60% of games with one partner"}}',
             20, true, now())`,
    [ALICE],
  );
  await db.sql(
    `INSERT INTO account_status_events (puuid, previous_status, status, evidence)
     VALUES ($1, 'active', 'renamed', '{"from":"Alicia#EUW"}')`,
    [ALICE],
  );
}
