import type { PrismaClient } from '../db/prisma.ts';
import { isRetryableConflict, refusesTheValues } from '../db/sql-state.ts';
import type { MatchDto } from '../riot/schemas.ts';
import {
  type MatchRow,
  matchRows,
  type ParticipantRow,
  type PlayerRow,
  UnsupportedMatchError,
} from './match-rows.ts';

const MATCH_COLUMNS = {
  match_id: 'text',
  platform: 'text',
  queue_id: 'int',
  game_mode: 'text',
  game_type: 'text',
  game_version: 'text',
  map_id: 'int',
  game_creation: 'timestamptz',
  game_start: 'timestamptz',
  game_end: 'timestamptz',
  game_duration_seconds: 'int',
} as const satisfies Record<keyof MatchRow, string>;

const PLAYER_COLUMNS = {
  puuid: 'text',
  platform: 'text',
  game_name: 'text',
  tag_line: 'text',
  riot_id: 'text',
  summoner_name: 'text',
  summoner_level: 'int',
  profile_icon_id: 'int',
  seen_at: 'timestamptz',
} as const satisfies Record<keyof PlayerRow, string>;

const PARTICIPANT_COLUMNS = {
  match_id: 'text',
  puuid: 'text',
  participant_id: 'int',
  team_id: 'int',
  win: 'boolean',
  champion_id: 'int',
  champion_name: 'text',
  team_position: 'text',
  individual_position: 'text',
  role: 'text',
  lane: 'text',
  kills: 'int',
  deaths: 'int',
  assists: 'int',
  total_minions_killed: 'int',
  neutral_minions_killed: 'int',
  gold_earned: 'int',
  total_damage_dealt_to_champions: 'int',
  vision_score: 'int',
  champ_level: 'int',
  summoner_level: 'int',
  riot_id_game_name: 'text',
  riot_id_tagline: 'text',
  placement: 'int',
  game_start: 'timestamptz',
  queue_id: 'int',
  time_played: 'int',
  game_ended_in_early_surrender: 'boolean',
  game_ended_in_surrender: 'boolean',
  team_early_surrendered: 'boolean',
  total_damage_taken: 'int',
  wards_placed: 'int',
  wards_killed: 'int',
  control_wards_placed: 'int',
  kill_participation: 'float8',
  solo_kills: 'int',
  max_cs_advantage_on_lane_opponent: 'float8',
  laning_phase_gold_exp_advantage: 'float8',
  early_laning_phase_gold_exp_advantage: 'float8',
  max_level_lead_lane_opponent: 'float8',
  lane_minions_first_10_minutes: 'float8',
  jungle_cs_before_10_minutes: 'float8',
  challenges: 'jsonb',
} as const satisfies Record<keyof ParticipantRow, string>;

const names = (columns: object) => Object.keys(columns).join(', ');
const record = (columns: object) =>
  Object.entries(columns)
    .map(([name, type]) => `${name} ${type}`)
    .join(', ');

// A Riot ID replaces the stored one only when seen later than it was: a backfilled old match never
// renames a player back. Without an observation time, a tracked player's ID dates from tracking.
const NEWER_RIOT_ID = `EXCLUDED.riot_id IS NOT NULL AND EXCLUDED.riot_id_observed_at >
  COALESCE(p.riot_id_observed_at, p.tracked_at, '-infinity')`;
const NEWER_MATCH = `EXCLUDED.last_match_at >= COALESCE(p.last_match_at, '-infinity')`;
const newer = (column: string, condition: string) =>
  `${column} = CASE WHEN ${condition} THEN EXCLUDED.${column} ELSE p.${column} END`;

// One statement, so one transaction and one round trip. The players and participants are written
// only if this statement inserted the match: a second store of it, concurrent or later, waits for
// the first on the match's key and then changes nothing.
const STORE_MATCH = `
WITH new_match AS (
  INSERT INTO matches (${names(MATCH_COLUMNS)}, raw)
  SELECT ${names(MATCH_COLUMNS)}, $2::jsonb FROM jsonb_to_record($1::jsonb) AS x(${record(MATCH_COLUMNS)})
  ON CONFLICT (match_id) DO NOTHING
  RETURNING match_id
), upserted AS (
  INSERT INTO players AS p (puuid, platform, game_name, tag_line, riot_id, summoner_name,
    summoner_level, profile_icon_id, riot_id_observed_at, last_match_at, new_matches_since_analysis)
  SELECT puuid, platform, game_name, tag_line, riot_id, summoner_name, summoner_level,
    profile_icon_id, CASE WHEN riot_id IS NOT NULL THEN seen_at END, seen_at, 1
  FROM jsonb_to_recordset($3::jsonb) AS x(${record(PLAYER_COLUMNS)})
  WHERE EXISTS (SELECT 1 FROM new_match)
  ORDER BY puuid -- one lock order for every store: concurrent stores cannot deadlock
  ON CONFLICT (puuid) DO UPDATE SET
    ${['game_name', 'tag_line', 'riot_id', 'riot_id_observed_at'].map((c) => newer(c, NEWER_RIOT_ID)).join(',\n    ')},
    ${newer('summoner_name', `EXCLUDED.summoner_name IS NOT NULL AND ${NEWER_MATCH}`)},
    ${newer('profile_icon_id', `EXCLUDED.profile_icon_id IS NOT NULL AND ${NEWER_MATCH}`)},
    ${newer('platform', NEWER_MATCH)},
    summoner_level = GREATEST(p.summoner_level, EXCLUDED.summoner_level),
    last_match_at = GREATEST(p.last_match_at, EXCLUDED.last_match_at),
    new_matches_since_analysis = p.new_matches_since_analysis + 1
  RETURNING (xmax = 0) AS inserted
), participants AS (
  INSERT INTO match_participants (${names(PARTICIPANT_COLUMNS)})
  SELECT ${names(PARTICIPANT_COLUMNS)} FROM jsonb_to_recordset($4::jsonb) AS x(${record(PARTICIPANT_COLUMNS)})
  WHERE EXISTS (SELECT 1 FROM new_match)
  RETURNING 1
)
SELECT (SELECT count(*) FROM new_match)::int AS matches,
       (SELECT count(*) FROM upserted WHERE inserted)::int AS new_players,
       (SELECT count(*) FROM upserted WHERE NOT inserted)::int AS updated_players,
       (SELECT count(*) FROM participants)::int AS participants`;

export type StoreResult = {
  matchId: string;
  /** False when the match was already stored: nothing changed. */
  stored: boolean;
  gameStart: Date;
  queueId: number;
  participants: number;
  newPlayers: number;
  updatedPlayers: number;
};

export type MatchStore = { store(match: MatchDto): Promise<StoreResult> };

/**
 * Stores a match, its participants and every participant as a player (new ones discovered:
 * untracked, unanalysed), in one transaction; a stored match is never written again. Each
 * participant's `new_matches_since_analysis` grows by one, which marks it due for analysis.
 * A payload the database refuses whatever the attempt is an UnsupportedMatchError (the caller
 * records it as a failed fetch: asked for again later, given up a day after its first failure);
 * a deadlock with another writer is retried once.
 */
export function createMatchStore(prisma: PrismaClient): MatchStore {
  async function write(dto: MatchDto, raw: string) {
    const rows = matchRows(dto);
    const [counts] = await prisma.$queryRawUnsafe<
      { matches: number; new_players: number; updated_players: number; participants: number }[]
    >(
      STORE_MATCH,
      JSON.stringify(rows.match),
      raw,
      JSON.stringify(rows.players),
      JSON.stringify(rows.participants),
    );
    return {
      matchId: rows.match.match_id,
      stored: (counts?.matches ?? 0) > 0,
      gameStart: new Date(rows.match.game_start),
      queueId: rows.match.queue_id,
      participants: counts?.participants ?? 0,
      newPlayers: counts?.new_players ?? 0,
      updatedPlayers: counts?.updated_players ?? 0,
    };
  }

  return {
    async store(payload) {
      let dto = payload;
      let raw = JSON.stringify(dto);
      // PostgreSQL's text and jsonb cannot hold U+0000: the character goes, the match stays.
      if (raw.includes('\\u0000')) {
        raw = JSON.stringify(dto, withoutNul);
        dto = JSON.parse(raw) as MatchDto;
      }
      for (let attempt = 1; ; attempt++) {
        try {
          return await write(dto, raw);
        } catch (error) {
          if (attempt === 1 && isRetryableConflict(error)) continue;
          if (refusesTheValues(error)) {
            throw new UnsupportedMatchError(
              `Match ${dto.metadata.matchId}: the database refused a value (${(error as Error).message.split('\n').at(-1)})`,
              { cause: error },
            );
          }
          throw error;
        }
      }
    },
  };
}

function withoutNul(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? value.replaceAll('\0', '') : value;
}
