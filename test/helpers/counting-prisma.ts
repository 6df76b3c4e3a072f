import type pg from 'pg';
import { createPool, createPrisma } from '../../src/db/prisma.ts';

/**
 * Prisma on a pool that counts the SQL statements sent through it (by Prisma or by reads that
 * use the pool directly), the statements' texts and names (null when sent unnamed), and the rows the database sends back with the
 * characters of their text values.
 */
export function countingPrisma(url: string) {
  const counter = {
    statements: 0,
    rows: 0,
    text: 0,
    texts: [] as string[],
    names: [] as (string | null)[],
  };
  const pool = createPool(url, { poolSize: 0, maxOverflow: 4 });
  // Prisma and the direct reads send their statements through pool.query (promise style);
  // transactions through a client of the pool, counted as they are connected.
  const counted = <T extends { query: unknown }>(target: T) => {
    const query = (target.query as (...args: unknown[]) => unknown).bind(target);
    target.query = ((...args: unknown[]) => {
      const result = query(...args);
      if (result instanceof Promise) {
        counter.statements += 1;
        const [statement] = args as [string | { text: string; name?: string }];
        counter.texts.push(typeof statement === 'string' ? statement : statement.text);
        counter.names.push(typeof statement === 'string' ? null : (statement.name ?? null));
        result.then(
          (r: pg.QueryResult) => {
            for (const row of r.rows ?? []) {
              counter.rows += 1;
              for (const value of Object.values(row)) {
                if (typeof value === 'string') counter.text += value.length;
              }
            }
          },
          () => {},
        );
      }
      return result;
    }) as T['query'];
  };
  counted(pool);
  pool.on('connect', (client) => counted(client));
  const prisma = createPrisma(pool);
  return { prisma, pool, counter };
}

/** `count` players with a rank, 3 rank snapshots, 3 matches and an analysis each. */
export const SEED_PLAYERS_SQL = (count: number) => `
  INSERT INTO players (puuid, game_name, tag_line, riot_id, platform, current_tier, current_rank,
    current_lp, current_wins, current_losses, is_tracked)
  SELECT lpad(i::text, 78, 'P'), 'Player' || i, 'EUW', 'Player' || i || '#EUW', 'euw1', 'GOLD', 'II',
    i % 100, 10 + i % 7, 5 + i % 5, i % 3 = 0
  FROM generate_series(1, ${count}) i;
  INSERT INTO rank_snapshots (puuid, queue_type, tier, rank, league_points, wins, losses, captured_at)
  SELECT lpad(i::text, 78, 'P'), 'RANKED_SOLO_5x5', 'GOLD', 'II', j * 10, 10 + j, 5, now() - j * interval '1 day'
  FROM generate_series(1, ${count}) i, generate_series(1, 3) j;
  INSERT INTO matches (match_id, platform, queue_id, game_creation, game_start, game_duration_seconds)
  SELECT 'EUW1_' || i || '_' || j, 'euw1', 420, now() - j * interval '1 hour', now() - j * interval '1 hour', 1800
  FROM generate_series(1, ${count}) i, generate_series(1, 3) j;
  INSERT INTO match_participants (match_id, puuid, participant_id, team_id, win, champion_id, champion_name,
    kills, deaths, assists, total_minions_killed, neutral_minions_killed, gold_earned,
    total_damage_dealt_to_champions, vision_score, champ_level)
  SELECT 'EUW1_' || i || '_' || j, lpad(i::text, 78, 'P'), 1, 100, j % 2 = 0, 1, 'Annie', j, 1, 2, 100, 10, 9000, 15000, 20, 14
  FROM generate_series(1, ${count}) i, generate_series(1, 3) j;
  INSERT INTO player_analyses (puuid, algorithm_version, smurf_score, smurf_confidence, games_analyzed)
  SELECT lpad(i::text, 78, 'P'), '1.0', (i % 10) / 10.0, 'low', 3 FROM generate_series(1, ${count}) i;`;
