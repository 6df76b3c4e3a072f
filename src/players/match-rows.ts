import { isPlatform, type Platform } from '../riot/routing.ts';
import {
  gameDurationSeconds,
  type MatchDto,
  type ParticipantDto,
  participantRiotId,
} from '../riot/schemas.ts';
import { formatRiotId } from './riot-id.ts';

/** A match-v5 payload as rows, keyed by column name (they go to PostgreSQL as JSON records). */
export type MatchRows = {
  match: MatchRow;
  participants: ParticipantRow[];
  players: PlayerRow[];
};

export type MatchRow = {
  match_id: string;
  platform: Platform;
  queue_id: number;
  game_mode: string | null;
  game_type: string | null;
  game_version: string | null;
  map_id: number | null;
  game_creation: string;
  game_start: string;
  game_end: string | null;
  game_duration_seconds: number;
};

/** What a participant says about the player at game time; `seen_at` is the game's start. */
export type PlayerRow = {
  puuid: string;
  platform: Platform;
  game_name: string | null;
  tag_line: string | null;
  riot_id: string | null;
  summoner_name: string | null;
  summoner_level: number | null;
  profile_icon_id: number | null;
  seen_at: string;
};

export type ParticipantRow = ReturnType<typeof participantRow>;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const INT4 = 2 ** 31 - 1;
/** A count outside the columns' int4 is none Riot sends: unknown, as a missing one is. */
const int = (v: unknown): number | null => {
  const n = num(v);
  return n === null || Math.abs(n) > INT4 ? null : Math.round(n);
};
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
export class UnsupportedMatchError extends Error {
  override readonly name = 'UnsupportedMatchError';
}

/** League of Legends' release: no game is older. */
const FIRST_GAME_MS = Date.UTC(2009, 9, 27);
/** Clock skew allowed to a game's times: a later one would hold every later game back. */
const FUTURE_SKEW_MS = 24 * 60 * 60 * 1000;

function iso(matchId: string, ms: number): string {
  const date = new Date(ms);
  const time = date.getTime();
  if (Number.isNaN(time) || time < FIRST_GAME_MS || time > Date.now() + FUTURE_SKEW_MS) {
    throw new UnsupportedMatchError(`Match ${matchId}: a time out of range (${ms})`);
  }
  return date.toISOString();
}

/** A value the match row cannot go without: a whole number within int4. */
function required(matchId: string, name: string, value: number): number {
  const n = int(value);
  if (n === null)
    throw new UnsupportedMatchError(`Match ${matchId}: ${name} out of range (${value})`);
  return n;
}

/**
 * Rows for a match of any era (2021–2026): pre-11.20 durations in ms, `riotIdName` then
 * `riotIdGameName`, `summonerName` only before Riot IDs, `challenges` from mid-2022 and not for
 * every participant. Bots (puuid `BOT`) and repeated PUUIDs are not players: the raw payload
 * keeps them.
 */
export function matchRows(dto: MatchDto): MatchRows {
  const { info } = dto;
  const platform = info.platformId.toLowerCase();
  if (!isPlatform(platform)) {
    throw new UnsupportedMatchError(
      `Match ${dto.metadata.matchId}: unknown platform ${info.platformId}`,
    );
  }
  const id = dto.metadata.matchId;
  checkComplete(dto);
  // Some payloads carry a start of 0: the creation is the nearest time they have.
  const start = info.gameStartTimestamp || info.gameCreation;
  const match: MatchRow = {
    match_id: id,
    platform,
    queue_id: required(id, 'queueId', info.queueId),
    game_mode: text(info.gameMode),
    game_type: text(info.gameType),
    game_version: text(info.gameVersion),
    map_id: int(info.mapId),
    game_creation: iso(id, info.gameCreation),
    game_start: iso(id, start),
    game_end: info.gameEndTimestamp === undefined ? null : iso(id, info.gameEndTimestamp),
    game_duration_seconds: Math.max(0, required(id, 'gameDuration', gameDurationSeconds(info))),
  };
  const seen = new Set<string>();
  const participants: ParticipantRow[] = [];
  const players: PlayerRow[] = [];
  info.participants.forEach((p, index) => {
    if (!p.puuid || p.puuid === 'BOT' || seen.has(p.puuid)) return;
    seen.add(p.puuid);
    participants.push(participantRow(match, p, index));
    players.push(playerRow(match, p));
  });
  return { match, participants, players };
}

/** A payload cut short (a participant missing from `info`) would be stored as the whole game,
 * and never fetched again: refused, as any unusable payload is. */
function checkComplete(dto: MatchDto): void {
  const listed = new Set(dto.metadata.participants);
  const { participants } = dto.info;
  if (
    participants.length !== dto.metadata.participants.length ||
    participants.some((p) => p.puuid !== 'BOT' && !listed.has(p.puuid))
  ) {
    throw new UnsupportedMatchError(
      `Match ${dto.metadata.matchId}: ${participants.length} participants, ${dto.metadata.participants.length} listed in its metadata`,
    );
  }
}

function playerRow(match: MatchRow, p: ParticipantDto): PlayerRow {
  const gameName = text(p.riotIdGameName) ?? text(p.riotIdName);
  const tagLine = text(p.riotIdTagline);
  return {
    puuid: p.puuid,
    platform: match.platform,
    game_name: gameName && tagLine ? gameName : null,
    tag_line: gameName && tagLine ? tagLine : null,
    riot_id: formatRiotId(gameName, tagLine),
    // Riot emptied summonerName with Riot IDs; the game name stands in, as tracking does.
    summoner_name: text(p.summonerName) ?? gameName,
    summoner_level: int(p.summonerLevel),
    profile_icon_id: int(p.profileIcon),
    seen_at: match.game_start,
  };
}

function participantRow(match: MatchRow, p: ParticipantDto, index: number) {
  const riotId = participantRiotId(p);
  const challenges =
    typeof p.challenges === 'object' && p.challenges !== null && !Array.isArray(p.challenges)
      ? (p.challenges as Record<string, unknown>)
      : null;
  const c = (key: string) => num(challenges?.[key]);
  return {
    match_id: match.match_id,
    puuid: p.puuid,
    participant_id: int(p.participantId) ?? index + 1,
    team_id: int(p.teamId) ?? 0,
    win: p.win,
    champion_id: int(p.championId) ?? 0,
    champion_name: text(p.championName) ?? String(p.championId),
    team_position: text(p.teamPosition),
    individual_position: text(p.individualPosition),
    role: text(p.role),
    lane: text(p.lane),
    kills: int(p.kills) ?? 0,
    deaths: int(p.deaths) ?? 0,
    assists: int(p.assists) ?? 0,
    total_minions_killed: int(p.totalMinionsKilled) ?? 0,
    neutral_minions_killed: int(p.neutralMinionsKilled) ?? 0,
    gold_earned: int(p.goldEarned) ?? 0,
    total_damage_dealt_to_champions: int(p.totalDamageDealtToChampions) ?? 0,
    vision_score: int(p.visionScore) ?? 0,
    champ_level: int(p.champLevel) ?? 0,
    summoner_level: int(p.summonerLevel),
    riot_id_game_name: riotId.gameName,
    riot_id_tagline: riotId.tagLine,
    placement: int(p.placement),
    game_start: match.game_start,
    queue_id: match.queue_id,
    time_played: int(p.timePlayed),
    game_ended_in_early_surrender: bool(p.gameEndedInEarlySurrender),
    game_ended_in_surrender: bool(p.gameEndedInSurrender),
    team_early_surrendered: bool(p.teamEarlySurrendered),
    total_damage_taken: int(p.totalDamageTaken),
    wards_placed: int(p.wardsPlaced),
    wards_killed: int(p.wardsKilled),
    control_wards_placed: int(p.detectorWardsPlaced) ?? int(challenges?.controlWardsPlaced),
    kill_participation: c('killParticipation'),
    solo_kills: int(challenges?.soloKills),
    max_cs_advantage_on_lane_opponent: c('maxCsAdvantageOnLaneOpponent'),
    laning_phase_gold_exp_advantage: c('laningPhaseGoldExpAdvantage'),
    early_laning_phase_gold_exp_advantage: c('earlyLaningPhaseGoldExpAdvantage'),
    max_level_lead_lane_opponent: c('maxLevelLeadLaneOpponent'),
    lane_minions_first_10_minutes: c('laneMinionsFirst10Minutes'),
    jungle_cs_before_10_minutes: c('jungleCsBefore10Minutes'),
    challenges,
  };
}
