/**
 * A players database at the scale of months of use, for bench/read-paths.ts: 300,000 players
 * (300 tracked, one of them with about 5,200 matches; 15,000 analysed, 3,000 flagged),
 * 100,000 matches with 1,000,000 participations, 200,000 rank snapshots, 30,000 analyses,
 * 4,000 account status events and 50,000 job executions over 60 days. Deterministic
 * (generate_series and hashes), about a minute here.
 */
import pg from 'pg';

/** An analysis' smurf factors, boosted score and boosted factors, from its hash `h`. */
const FACTORS = `(SELECT jsonb_agg(jsonb_build_object('name', 'factor_' || f, 'score', ((h + f) % 100) / 100.0,
     'weight', 0.15, 'explanation', 'Win rate and KDA well above the tier baseline over the last games (' || f || ')',
     'details', jsonb_build_object('games', 20, 'value', (h % 1000) / 10.0, 'baseline', 52.5)))
   FROM generate_series(1, 6) f),
  (h % 50) / 100.0,
  (SELECT jsonb_agg(jsonb_build_object('name', 'boost_' || f, 'score', ((h + f) % 100) / 100.0,
     'weight', 0.25, 'explanation', 'Duo partner rank gap')) FROM generate_series(1, 4) f)`;

export async function seedAtScale(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const step = (sql: string) => client.query(sql);
  try {
    // The rows agree by construction: no foreign-key checks or triggers while seeding.
    await client.query('SET session_replication_role = replica');
    await client.query(`SET maintenance_work_mem = '256MB'`);
    await step(
      `
    CREATE FUNCTION scr_h(t text) RETURNS int IMMUTABLE LANGUAGE sql AS
      $$ SELECT (hashtext(t)::bigint & 2147483647)::int $$;
    CREATE FUNCTION scr_puuid(i int) RETURNS text IMMUTABLE LANGUAGE sql AS
      $$ SELECT substr(md5('a' || i) || md5('b' || i), 1, 64) || substr(md5('c' || i), 1, 14) $$;
    `,
    );

    const WORDS = [
      'Faker',
      'Shadow',
      'Dragon',
      'Blue',
      'Night',
      'Kai',
      'Zed',
      'Lux',
      'Storm',
      'Wolf',
      'Ahri',
      'Silent',
      'Tilted',
      'Jungle',
      'Mid',
      'Doom',
      'Snow',
      'Fire',
      'Moon',
      'Sun',
      'Alpha',
      'Omega',
      'Pixel',
      'Ghost',
      'Raven',
      'Tiger',
      'Lotus',
      'Frost',
      'Viper',
      'Hex',
      'Nova',
      'Echo',
      'Blade',
      'Kuro',
      'Shiro',
      'Yasuo',
      'Teemo',
      'Riven',
      'Thresh',
      'Jinx',
    ];
    const words = `ARRAY[${WORDS.map((w) => `'${w}'`).join(',')}]`;

    await step(
      `
    INSERT INTO players (puuid, game_name, tag_line, riot_id, summoner_name, platform, summoner_level,
      profile_icon_id, current_tier, current_rank, current_lp, current_wins, current_losses,
      is_tracked, is_analyzed, is_flagged, is_boosted, account_status, tracked_at, discovered_at,
      last_updated, last_match_at, last_ban_check, last_analyzed_at, riot_id_observed_at,
      rank_checked_at, new_matches_since_analysis, analysis_not_before)
    SELECT scr_puuid(i), gn, tl, CASE WHEN hx % 50 = 0 THEN NULL ELSE gn || '#' || tl END, NULL, plat,
      30 + hx % 500, hx % 5000,
      CASE WHEN ranked THEN (ARRAY['IRON','BRONZE','SILVER','SILVER','GOLD','GOLD','PLATINUM','EMERALD','DIAMOND','MASTER'])[1 + ht % 10] END,
      CASE WHEN ranked THEN (ARRAY['I','II','III','IV'])[1 + ht % 4] END,
      CASE WHEN ranked THEN ht % 100 END,
      CASE WHEN ranked THEN 20 + ht % 300 END,
      CASE WHEN ranked THEN 20 + hn % 300 END,
      tracked, analysed, flagged, analysed AND hx % 40 = 0,
      CASE WHEN flagged AND hx % 7 = 0 THEN 'inactive' WHEN flagged AND hx % 11 = 0 THEN 'not_found' ELSE 'active' END,
      CASE WHEN tracked THEN now() - (i / 1000) * interval '1 day' END,
      now() - (hp % 259200) * interval '1 minute',
      CASE WHEN tracked AND i > 5000 THEN now() - (hx % 600) * interval '1 minute' END,
      now() - (hx % 180) * interval '1 day',
      CASE WHEN flagged AND hx % 10 >= 3 THEN now() - (ht % 30) * interval '1 day' END,
      CASE WHEN analysed THEN now() - (hn % 129600) * interval '1 minute' END,
      now() - (hx % 180) * interval '1 day',
      CASE WHEN ranked THEN now() - (hn % 90) * interval '1 day' END,
      CASE WHEN analysed AND hx % 10 < 4 THEN 1 + hx % 15 WHEN NOT analysed THEN 1 + hx % 3 ELSE 0 END,
      CASE WHEN hx % 200 = 0 THEN now() + interval '1 hour' END
    FROM (
      SELECT i, scr_h('n' || i) AS hn, scr_h('p' || i) AS hp, scr_h('t' || i) AS ht, scr_h('x' || i) AS hx,
        i % 1000 = 0 AS tracked, i % 20 = 1 AS analysed, i % 100 = 1 AS flagged
      FROM generate_series(1, 300000) i
    ) s
    CROSS JOIN LATERAL (SELECT tracked OR analysed OR hx % 10 = 0 AS ranked,
      CASE WHEN hp % 100 < 35 THEN 'euw1' WHEN hp % 100 < 55 THEN 'kr' WHEN hp % 100 < 70 THEN 'na1'
           WHEN hp % 100 < 80 THEN 'eun1' WHEN hp % 100 < 84 THEN 'br1' WHEN hp % 100 < 87 THEN 'tr1'
           WHEN hp % 100 < 89 THEN 'ru' WHEN hp % 100 < 91 THEN 'jp1' WHEN hp % 100 < 93 THEN 'la1'
           WHEN hp % 100 < 95 THEN 'la2' WHEN hp % 100 < 96 THEN 'oc1' WHEN hp % 100 < 97 THEN 'vn2'
           WHEN hp % 100 < 98 THEN 'tw2' WHEN hp % 100 < 99 THEN 'sg2' ELSE 'me1' END AS plat,
      (${words})[1 + hn % 40] || CASE WHEN hn / 40 % 3 = 0 THEN '' ELSE ((hn / 120) % 10000)::text END AS gn) a
    CROSS JOIN LATERAL (SELECT CASE WHEN ht % 10 < 6 THEN
        CASE plat WHEN 'euw1' THEN 'EUW' WHEN 'kr' THEN 'KR1' WHEN 'na1' THEN 'NA1' WHEN 'eun1' THEN 'EUNE'
          ELSE upper(plat) END
      ELSE upper(substr(md5('tag' || i), 1, 3 + ht % 3)) END AS tl) b`,
    );

    // Match sources: 60% tracked players (player 1000 has ~5,000 matches, the rest ~185 each),
    // 40% analysed players' fetched histories. Newest 20,000 matches carry a raw payload.
    await step(
      `
    CREATE UNLOGGED TABLE scr_m AS
    SELECT m, src, upper(p.platform) || '_' || (6000000000 + m) AS match_id, p.platform,
      CASE WHEN q < 60 THEN 420 WHEN q < 75 THEN 440 WHEN q < 90 THEN 400 WHEN q < 97 THEN 450 ELSE 1700 END AS queue_id,
      now() - (100000 - m) * interval '150 s' AS game_start,
      CASE WHEN scr_h('d' || m) % 100 < 2 THEN 180 + scr_h('e' || m) % 60 ELSE 900 + scr_h('e' || m) % 1500 END AS dur
    FROM (
      SELECT m, scr_h('q' || m) % 100 AS q,
        CASE WHEN m % 10 < 6 THEN CASE WHEN m % 12 = 0 THEN 1000 ELSE 1000 * (1 + scr_h('s' || m) % 300) END
             ELSE 20 * (scr_h('s' || m) % 15000) + 1 END AS src
      FROM generate_series(1, 100000) m
    ) g JOIN players p ON p.puuid = scr_puuid(src)`,
    );

    await step(
      `
    INSERT INTO matches (match_id, platform, queue_id, game_mode, game_type, game_version, map_id,
      game_creation, game_start, game_end, game_duration_seconds, created_at, raw)
    SELECT match_id, platform, queue_id, CASE WHEN queue_id = 450 THEN 'ARAM' ELSE 'CLASSIC' END,
      'MATCHED_GAME', '14.' || (m / 8000) || '.1', CASE WHEN queue_id = 450 THEN 12 ELSE 11 END,
      game_start - interval '30 s', game_start, game_start + dur * interval '1 s', dur,
      game_start + dur * interval '1 s' + interval '10 min',
      CASE WHEN m > 80000 THEN (
        SELECT jsonb_build_object('metadata', jsonb_build_object('matchId', match_id, 'dataVersion', '2'),
          'info', jsonb_build_object('gameId', m, 'participants', jsonb_agg(obj)))
        FROM (SELECT (SELECT jsonb_object_agg('field' || j, scr_h(m || '.' || k || '.' || j) % 100000)
                      FROM generate_series(1, 150) j) AS obj
              FROM generate_series(0, 9) k) pp) END
    FROM scr_m`,
    );

    await step(
      `
    INSERT INTO match_participants (match_id, puuid, participant_id, team_id, win, champion_id,
      champion_name, team_position, individual_position, role, lane, kills, deaths, assists,
      total_minions_killed, neutral_minions_killed, gold_earned, total_damage_dealt_to_champions,
      vision_score, champ_level, summoner_level, riot_id_game_name, riot_id_tagline, game_start,
      queue_id, time_played, game_ended_in_early_surrender, game_ended_in_surrender,
      team_early_surrendered, total_damage_taken, wards_placed, wards_killed, control_wards_placed,
      kill_participation, solo_kills, challenges)
    SELECT sm.match_id, scr_puuid(pid), k + 1, CASE WHEN k < 5 THEN 100 ELSE 200 END,
      (k < 5) = (sm.m % 2 = 0), 1 + h % 160,
      (ARRAY['Ahri','Lux','Zed','Jinx','Thresh','LeeSin','Yasuo','Ezreal','Kaisa','Lulu'])[1 + h % 10],
      pos, pos, 'SOLO', 'MIDDLE', h % 15, h / 7 % 12, h / 11 % 20, 100 + h % 150, h % 40,
      6000 + h % 9000, 5000 + h % 30000, 5 + h % 60, 10 + h % 8, 30 + h % 400, NULL, NULL,
      sm.game_start, sm.queue_id, sm.dur, sm.dur < 300, h % 5 = 0, sm.dur < 300,
      10000 + h % 30000, h % 20, h % 8, h % 5, (h % 100) / 100.0, h % 4,
      CASE WHEN sm.m > 80000 THEN
        (SELECT jsonb_object_agg('challenge' || j, (scr_h(h || '.' || j) % 100000) / 100.0)
         FROM generate_series(1, 60) j) END
    FROM scr_m sm CROSS JOIN generate_series(0, 9) k
    CROSS JOIN LATERAL (SELECT CASE WHEN k = 0 THEN sm.src
      ELSE ((sm.m * 10 + k)::bigint * 7919 % 300000)::int + 1 END AS pid,
      scr_h('mp' || sm.m || '.' || k) AS h,
      (ARRAY['TOP','JUNGLE','MIDDLE','BOTTOM','UTILITY'])[1 + k % 5] AS pos) x
    ON CONFLICT DO NOTHING`,
    );

    await step(
      `
    INSERT INTO rank_snapshots (puuid, queue_type, tier, rank, league_points, wins, losses, captured_at)
    SELECT scr_puuid(pl), CASE WHEN h % 5 = 0 THEN 'RANKED_FLEX_SR' ELSE 'RANKED_SOLO_5x5' END,
      (ARRAY['IRON','BRONZE','SILVER','GOLD','PLATINUM','EMERALD','DIAMOND','MASTER'])[1 + h % 8],
      (ARRAY['I','II','III','IV'])[1 + h % 4], h % 100, 20 + s / 500, 20 + s / 600,
      now() - (200000 - s) * interval '75 s'
    FROM generate_series(1, 200000) s
    CROSS JOIN LATERAL (SELECT scr_h('r' || s) AS h) hh
    CROSS JOIN LATERAL (SELECT CASE WHEN s % 10 < 6 THEN
        CASE WHEN s % 12 = 0 THEN 1000 ELSE 1000 * (1 + h % 300) END
      ELSE 20 * (h % 15000) + 1 END AS pl) x`,
    );

    await step(
      `
    INSERT INTO player_analyses (puuid, algorithm_version, smurf_score, smurf_confidence, smurf_factors,
      boosted_score, boosted_factors, games_analyzed, is_flagged, created_at, status, is_boosted)
    SELECT scr_puuid(pl), 'v3+calibrated-400-1a2b3c4d', sc,
      CASE WHEN pl % 100 = 1 THEN 'high' WHEN sc > 0.5 THEN 'medium' WHEN sc > 0.3 THEN 'low' ELSE 'none' END,
      ${FACTORS},
      10 + h % 30, pl % 100 = 1,
      now() - (20000 - a) * interval '6 min', 'ok', false
    FROM generate_series(1, 20000) a
    CROSS JOIN LATERAL (SELECT 20 * ((a - 1) % 15000) + 1 AS pl, scr_h('an' || a) AS h) x
    CROSS JOIN LATERAL (SELECT CASE WHEN pl % 100 = 1 THEN 0.6 + (h % 40) / 100.0 ELSE (h % 60) / 100.0 END AS sc) y`,
    );

    await step(
      `
    INSERT INTO account_status_events (puuid, previous_status, status, evidence, detected_at)
    SELECT scr_puuid(100 * ((e - 1) % 3000) + 1), 'active',
      (ARRAY['inactive','not_found','renamed','active'])[1 + e % 4],
      jsonb_build_object('lastRankedGameAt', now() - e * interval '1 hour', 'source', 'account-v1'),
      now() - e * interval '30 min'
    FROM generate_series(1, 4000) e`,
    );

    // 50,000 executions over ~60 days (one every 104 s), alternating updater / analyzer, retention 4%.
    await step(
      `
    INSERT INTO job_executions (job_config_id, status, trigger, created_at, started_at, completed_at,
      heartbeat_at, worker_id, api_requests_made, records_created, records_updated, error_message,
      progress, execution_log)
    SELECT cfg, st, CASE WHEN h % 20 = 0 THEN 'manual' ELSE 'schedule' END, ca, ca + interval '1 s',
      CASE WHEN st IN ('success','failed','cancelled') THEN ca + interval '1 s' + (20 + h % 180) * interval '1 s' END,
      ca + interval '1 s' + (20 + h % 180) * interval '1 s', 'worker-' || (e / 5000),
      h % 400, h % 50, h % 30,
      CASE WHEN st = 'failed' THEN 'Riot API rejected the key (403)' END,
      jsonb_build_object('phase', 'done: ' || (h % 15) || ' analysed', 'processed', h % 15, 'total', 15,
        'updatedAt', ca + interval '60 s'),
      CASE WHEN st = 'failed' OR h % 10 = 0 THEN
        (SELECT jsonb_agg(jsonb_build_object('at', ca, 'item', md5('i' || e || '.' || j) || md5('j' || e),
           'error', 'Riot API 500 on match-v5: upstream timed out after 3 retries'))
         FROM generate_series(1, CASE WHEN st = 'failed' THEN 20 ELSE 1 + h % 5 END) j)
      ELSE '[]'::jsonb END
    FROM generate_series(1, 49998) e
    CROSS JOIN LATERAL (SELECT scr_h('je' || e) AS h, now() - (50000 - e) * interval '104 s' AS ca,
      CASE WHEN e % 25 = 0 THEN 3 ELSE 1 + e % 2 END AS cfg) x
    CROSS JOIN LATERAL (SELECT CASE WHEN h % 100 < 93 THEN 'success' WHEN h % 100 < 98 THEN 'failed'
      ELSE 'cancelled' END AS st) y;
    INSERT INTO job_executions (job_config_id, status, trigger, created_at, started_at, heartbeat_at,
      worker_id, progress)
    VALUES (1, 'running', 'schedule', now() - interval '40 s', now() - interval '39 s', now(),
      'worker-live', '{"phase": "matches 3/20", "processed": 3, "total": 10}');
    INSERT INTO job_executions (job_config_id, status, trigger, created_at)
    VALUES (2, 'pending', 'schedule', now() - interval '10 s')`,
    );
    // Tracked players are analysed too, and their analyses accumulate: the heavy player 1,000, the
    // other 299 tracked 30 each.
    await step(`
    INSERT INTO player_analyses (puuid, algorithm_version, smurf_score, smurf_confidence, smurf_factors,
      boosted_score, boosted_factors, games_analyzed, is_flagged, created_at, status, is_boosted)
    SELECT scr_puuid(pl), 'v3+calibrated-400-1a2b3c4d', (h % 60) / 100.0, 'low',
      ${FACTORS},
      40, false, now() - n * interval '3 hours', 'ok', false
    FROM (SELECT 1000 AS pl, n FROM generate_series(1, 1000) n
          UNION ALL SELECT t * 1000, n FROM generate_series(2, 300) t, generate_series(1, 30) n) s
    CROSS JOIN LATERAL (SELECT scr_h('ta' || pl || '.' || n) AS h) x;
    UPDATE players SET is_analyzed = true, last_analyzed_at = now() - interval '3 hours' WHERE is_tracked;`);
    await step('DROP TABLE scr_m');
    await client.query('SET session_replication_role = origin');
    await step('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}

/** The seed's PUUID of player number `i` (1 … 300,000), as the seed's SQL function makes it. */
export async function seededPuuid(url: string, i: number): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT scr_puuid($1) AS p', [i])).rows[0].p as string;
  } finally {
    await client.end();
  }
}
