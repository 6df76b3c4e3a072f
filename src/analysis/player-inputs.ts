import type { PrismaClient } from '../db/prisma.ts';
import {
  type GameSample,
  type PlayerInput,
  POSITIONS,
  type Position,
  type RankSnapshotSample,
} from '../detection/index.ts';
import { SOLO_QUEUE } from '../players/rank.ts';
import { eligibleGame } from './eligible-games.ts';

/** Ranked solo/duo: what the rank, and so detection's baselines, are about. */
export const ANALYSED_QUEUES = [420] as const;

/**
 * Rank snapshots read per player, newest first: one is written per change of standing (about one
 * per game), so this spans several times the games read, and a player tracked for years costs
 * what any other does.
 */
const MAX_SNAPSHOTS = 250;

type GameRow = {
  puuid: string;
  game_start: Date;
  queue_id: number;
  game_duration_seconds: number;
  win: boolean;
  kills: number;
  deaths: number;
  assists: number;
  cs: number;
  vision_score: number;
  kill_participation: number | null;
  champion_id: number;
  team_position: string | null;
  remake: boolean | null;
  surrender: boolean | null;
  summoner_level: number | null;
  team_kills: number;
  teammates: string[];
};

type PlayerRow = {
  puuid: string;
  new_matches: number;
  summoner_level: number | null;
  current_tier: string | null;
};

/** A player's detection input, and the new matches counted as it was read. */
export type LoadedInput = PlayerInput & {
  /** What the analysis covers of `new_matches_since_analysis` (subtracted once it is saved). */
  newMatches: number;
};

/**
 * Detection inputs of several players in three statements, whatever their number: each player's
 * newest `maxGames` games of the analysed queues that detection counts, as selectDuePlayers
 * counts them (no remakes or early surrenders; one index scan per queue), their teammates, and
 * their newest solo/duo rank snapshots (MAX_SNAPSHOTS).
 */
export async function loadPlayerInputs(
  prisma: PrismaClient,
  puuids: readonly string[],
  options: { maxGames: number },
): Promise<Map<string, LoadedInput>> {
  if (puuids.length === 0) return new Map();
  const ids = [...puuids];
  const queues = [...ANALYSED_QUEUES];
  const [players, games, snapshots] = await Promise.all([
    prisma.$queryRaw<PlayerRow[]>`
      SELECT puuid, new_matches_since_analysis AS new_matches, summoner_level, current_tier
      FROM players WHERE puuid = ANY(${ids}::text[])`,
    prisma.$queryRaw<GameRow[]>`
      SELECT p.puuid, mp.game_start, mp.queue_id, mp.game_duration_seconds, mp.win, mp.kills,
        mp.deaths, mp.assists, mp.total_minions_killed + mp.neutral_minions_killed AS cs,
        mp.vision_score, mp.kill_participation, mp.champion_id, mp.team_position,
        mp.game_ended_in_early_surrender AS remake, mp.team_early_surrendered AS surrender,
        mp.summoner_level, team.kills::int AS team_kills, team.mates AS teammates
      FROM unnest(${ids}::text[]) AS p(puuid)
      CROSS JOIN LATERAL (
        -- Per queue, so the (puuid, queue_id, game_start DESC) index hands the newest games over
        -- in order; with queue_id = ANY(…) every game of the player is read and sorted.
        SELECT y.* FROM unnest(${queues}::int[]) AS q(queue_id)
        CROSS JOIN LATERAL (
          SELECT x.*, d.game_duration_seconds
          FROM match_participants x JOIN matches d ON d.match_id = x.match_id
          WHERE x.puuid = p.puuid AND x.queue_id = q.queue_id
            AND ${eligibleGame('x', 'd')}
          ORDER BY x.game_start DESC LIMIT ${options.maxGames}
        ) y
        ORDER BY y.game_start DESC LIMIT ${options.maxGames}
      ) mp
      CROSS JOIN LATERAL (
        SELECT COALESCE(sum(o.kills), 0) AS kills,
          COALESCE(array_agg(o.puuid) FILTER (WHERE o.puuid <> p.puuid), '{}') AS mates
        FROM match_participants o WHERE o.match_id = mp.match_id AND o.team_id = mp.team_id
      ) team`,
    prisma.$queryRaw<(RankSnapshotSample & { puuid: string })[]>`
      SELECT p.puuid, s.captured_at AS "capturedAt", s.tier, s.rank,
        s.league_points AS "leaguePoints", s.wins, s.losses
      FROM unnest(${ids}::text[]) AS p(puuid)
      CROSS JOIN LATERAL (
        SELECT * FROM rank_snapshots x
        WHERE x.puuid = p.puuid AND x.queue_type = ${SOLO_QUEUE}
        ORDER BY x.captured_at DESC LIMIT ${MAX_SNAPSHOTS}
      ) s`,
  ]);
  const snapshotsOf = new Map<string, RankSnapshotSample[]>();
  for (const { puuid, ...snapshot } of snapshots) {
    const list = snapshotsOf.get(puuid) ?? [];
    list.push(snapshot);
    snapshotsOf.set(puuid, list);
  }
  const inputs = new Map<string, LoadedInput & { games: GameSample[] }>();
  for (const p of players) {
    inputs.set(p.puuid, {
      puuid: p.puuid,
      newMatches: p.new_matches,
      summonerLevel: p.summoner_level,
      currentTier: p.current_tier,
      games: [],
      snapshots: snapshotsOf.get(p.puuid) ?? [],
    });
  }
  for (const row of games) inputs.get(row.puuid)?.games.push(gameSample(row));
  return inputs;
}

function gameSample(row: GameRow): GameSample {
  return {
    gameStart: row.game_start,
    queueId: row.queue_id,
    durationSeconds: row.game_duration_seconds,
    win: row.win,
    kills: row.kills,
    deaths: row.deaths,
    assists: row.assists,
    cs: row.cs,
    visionScore: row.vision_score,
    // From the team's kills, as Riot defines it: the stored challenge value is missing in older
    // payloads.
    killParticipation:
      row.team_kills > 0 ? (row.kills + row.assists) / row.team_kills : row.kill_participation,
    championId: row.champion_id,
    position: asPosition(row.team_position),
    remake: row.remake === true,
    earlySurrender: row.surrender === true,
    summonerLevel: row.summoner_level,
    teammates: row.teammates,
  };
}

function asPosition(value: string | null): Position | null {
  return (POSITIONS as readonly string[]).includes(value ?? '') ? (value as Position) : null;
}
