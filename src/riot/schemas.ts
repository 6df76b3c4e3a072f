import { z } from 'zod';

/**
 * Riot DTOs, validated loosely: fields Riot added or removed between 2021 and 2026 must not break
 * parsing (summoner `id`/`accountId` gone in 2025, `riotIdName` → `riotIdGameName`, Arena's 16
 * participants), so only what riftwatch reads is declared and everything else passes through.
 */

export const AccountDto = z.looseObject({
  puuid: z.string(),
  gameName: z.string().optional(),
  tagLine: z.string().optional(),
});
export type AccountDto = z.infer<typeof AccountDto>;

export const SummonerDto = z.looseObject({
  puuid: z.string(),
  profileIconId: z.number(),
  revisionDate: z.number(),
  summonerLevel: z.number(),
  id: z.string().optional(),
  accountId: z.string().optional(),
  name: z.string().optional(),
});
export type SummonerDto = z.infer<typeof SummonerDto>;

export const LeagueEntryDto = z.looseObject({
  leagueId: z.string().optional(),
  queueType: z.string(),
  tier: z.string().optional(),
  rank: z.string().optional(),
  leaguePoints: z.number(),
  wins: z.number(),
  losses: z.number(),
  puuid: z.string().optional(),
  summonerId: z.string().optional(),
  hotStreak: z.boolean().optional(),
  veteran: z.boolean().optional(),
  freshBlood: z.boolean().optional(),
  inactive: z.boolean().optional(),
});
export type LeagueEntryDto = z.infer<typeof LeagueEntryDto>;
export const LeagueEntriesDto = z.array(LeagueEntryDto);

export const MatchIdsDto = z.array(z.string());

export const ParticipantDto = z.looseObject({
  puuid: z.string(),
  participantId: z.number().optional(),
  summonerId: z.string().optional(),
  summonerName: z.string().optional(),
  riotIdGameName: z.string().optional(),
  riotIdName: z.string().optional(),
  riotIdTagline: z.string().optional(),
  summonerLevel: z.number().optional(),
  profileIcon: z.number().optional(),
  championId: z.number(),
  championName: z.string().optional(),
  champLevel: z.number().optional(),
  teamId: z.number(),
  teamPosition: z.string().optional(),
  individualPosition: z.string().optional(),
  lane: z.string().optional(),
  role: z.string().optional(),
  win: z.boolean(),
  kills: z.number(),
  deaths: z.number(),
  assists: z.number(),
  totalMinionsKilled: z.number().optional(),
  neutralMinionsKilled: z.number().optional(),
  goldEarned: z.number().optional(),
  totalDamageDealtToChampions: z.number().optional(),
  visionScore: z.number().optional(),
  timePlayed: z.number().optional(),
  gameEndedInEarlySurrender: z.boolean().optional(),
  placement: z.number().optional(),
});
export type ParticipantDto = z.infer<typeof ParticipantDto>;

export const MatchDto = z.looseObject({
  metadata: z.looseObject({
    dataVersion: z.string().optional(),
    matchId: z.string(),
    participants: z.array(z.string()),
  }),
  info: z.looseObject({
    gameCreation: z.number(),
    gameDuration: z.number(),
    gameStartTimestamp: z.number().optional(),
    gameEndTimestamp: z.number().optional(),
    gameId: z.number(),
    gameMode: z.string(),
    gameType: z.string().optional(),
    gameVersion: z.string(),
    mapId: z.number(),
    platformId: z.string(),
    queueId: z.number(),
    endOfGameResult: z.string().optional(),
    participants: z.array(ParticipantDto).min(1),
    teams: z.array(z.looseObject({ teamId: z.number(), win: z.boolean() })),
  }),
});
export type MatchDto = z.infer<typeof MatchDto>;
export type MatchInfoDto = MatchDto['info'];

/**
 * Game length in seconds. Before patch 11.20 `gameDuration` was in milliseconds and
 * `gameEndTimestamp` did not exist; Riot's advice is to tell them apart by that field.
 */
export function gameDurationSeconds(
  info: Pick<MatchInfoDto, 'gameDuration' | 'gameEndTimestamp'>,
): number {
  return info.gameEndTimestamp === undefined
    ? Math.round(info.gameDuration / 1000)
    : info.gameDuration;
}

/** The participant's Riot ID at match time, whichever field name that patch used. */
export function participantRiotId(p: ParticipantDto): {
  gameName: string | null;
  tagLine: string | null;
} {
  const gameName = p.riotIdGameName || p.riotIdName || p.summonerName || null;
  return { gameName, tagLine: p.riotIdTagline || null };
}
