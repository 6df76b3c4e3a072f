import { readFileSync } from 'node:fs';
import { derivedStats } from './participant-stats.ts';
import type { SimMatch } from './world-matches.ts';

type Json = Record<string, unknown>;

// A real 2025 match (MIT, see templates/NOTICE): every field we do not generate keeps its real shape.
const template = JSON.parse(
  readFileSync(new URL('./templates/match-template.json', import.meta.url), 'utf8'),
) as { metadata: Json; info: Json & { participants: Json[]; teams: Json[] } };
const participantTemplate = template.info.participants[0] as Json;
const challengesTemplate = participantTemplate.challenges as Json;
const teamTemplate = template.info.teams[0] as Json;

/** The match-v5 payload of a simulated match, in the real (2025–2026) shape. */
export function matchPayload(match: SimMatch): Json {
  const participants = match.participants.map((p, i) => ({
    ...structuredClone(participantTemplate),
    participantId: i + 1,
    puuid: p.puuid,
    riotIdGameName: p.gameName,
    riotIdTagline: p.tagLine,
    summonerName: '',
    summonerId: `sim-${p.puuid.slice(0, 40)}`,
    summonerLevel: p.summonerLevel,
    profileIcon: p.profileIcon,
    championId: p.championId,
    championName: p.championName,
    champLevel: p.champLevel,
    teamId: p.teamId,
    teamPosition: p.position,
    individualPosition: p.position,
    lane: p.position === 'UTILITY' || p.position === 'BOTTOM' ? 'BOTTOM' : p.position,
    role: p.position === 'UTILITY' ? 'SUPPORT' : p.position === 'BOTTOM' ? 'CARRY' : 'SOLO',
    win: p.win,
    kills: p.kills,
    deaths: p.deaths,
    assists: p.assists,
    totalMinionsKilled: p.minions,
    neutralMinionsKilled: p.neutral,
    goldEarned: p.gold,
    goldSpent: Math.round(p.gold * 0.9),
    totalDamageDealtToChampions: p.damage,
    visionScore: p.vision,
    timePlayed: match.durationSeconds,
    gameEndedInEarlySurrender: false,
    gameEndedInSurrender: false,
    ...derivedStats(match, p, structuredClone(challengesTemplate)),
  }));
  const teams = [100, 200].map((teamId) => ({
    ...structuredClone(teamTemplate),
    teamId,
    win: match.participants.some((p) => p.teamId === teamId && p.win),
  }));
  return {
    metadata: {
      dataVersion: '2',
      matchId: match.matchId,
      participants: participants.map((p) => p.puuid),
    },
    info: {
      ...template.info,
      endOfGameResult: 'GameComplete',
      gameCreation: match.gameCreation,
      gameDuration: match.durationSeconds,
      gameEndTimestamp: match.gameEndTimestamp,
      gameId: match.gameId,
      gameMode: 'CLASSIC',
      gameName: `teambuilder-match-${match.gameId}`,
      gameStartTimestamp: match.gameStartTimestamp,
      gameType: 'MATCHED_GAME',
      gameVersion: match.gameVersion,
      mapId: 11,
      participants,
      platformId: match.platformId,
      queueId: match.queueId,
      teams,
      tournamentCode: '',
    },
  };
}
