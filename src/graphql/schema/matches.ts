import { parsePrismaCursor } from '@pothos/plugin-prisma';
import { AppError, ERROR_CODE } from '../../errors.ts';
import { formatRiotId } from '../../players/riot-id.ts';
import { builder } from '../builder.ts';
import { connectionOptions } from './pagination.ts';

builder.prismaObject('Match', {
  description: 'One match-v5 game.',
  // Select mode: the columns the fields ask for, never the raw payload (tens of KB a game).
  select: { matchId: true },
  fields: (t) => ({
    matchId: t.exposeString('matchId', { description: 'e.g. `EUW1_7014499581`.' }),
    platform: t.exposeString('platform'),
    queueId: t.exposeInt('queueId', { description: '420 ranked solo, 440 flex, …' }),
    gameMode: t.exposeString('gameMode', { nullable: true }),
    gameVersion: t.exposeString('gameVersion', { nullable: true }),
    gameStart: t.expose('gameStart', { type: 'DateTime' }),
    gameEnd: t.expose('gameEnd', { type: 'DateTime', nullable: true }),
    durationSeconds: t.exposeInt('gameDurationSeconds'),
  }),
});

builder.prismaObject('MatchParticipant', {
  name: 'MatchParticipation',
  description: "A player's line in one match.",
  fields: (t) => ({
    match: t.relation('match'),
    championId: t.exposeInt('championId'),
    championName: t.exposeString('championName'),
    teamId: t.exposeInt('teamId', { description: '100 blue, 200 red.' }),
    win: t.exposeBoolean('win'),
    teamPosition: t.exposeString('teamPosition', { nullable: true }),
    role: t.exposeString('role', { nullable: true }),
    lane: t.exposeString('lane', { nullable: true }),
    kills: t.exposeInt('kills'),
    deaths: t.exposeInt('deaths'),
    assists: t.exposeInt('assists'),
    kda: t.float({
      description: '(kills + assists) / max(deaths, 1).',
      resolve: (p) => (p.kills + p.assists) / Math.max(p.deaths, 1),
    }),
    creepScore: t.int({
      description: 'Minions plus neutral monsters killed.',
      resolve: (p) => p.totalMinionsKilled + p.neutralMinionsKilled,
    }),
    goldEarned: t.exposeInt('goldEarned'),
    damageToChampions: t.exposeInt('totalDamageDealtToChampions'),
    visionScore: t.exposeInt('visionScore'),
    champLevel: t.exposeInt('champLevel'),
    summonerLevel: t.exposeInt('summonerLevel', { nullable: true }),
    riotIdAtTheTime: t.string({
      nullable: true,
      description: 'The Riot ID the player had in this match.',
      resolve: (p) => formatRiotId(p.riotIdGameName, p.riotIdTagline),
    }),
  }),
});

/**
 * A participation's cursor is its match id and PUUID; a forged one may decode to any values,
 * which Prisma would refuse as an unexpected error.
 */
function checkParticipationCursor(cursor: unknown): void {
  if (cursor == null) return;
  const parts = parsePrismaCursor(cursor);
  if (!Array.isArray(parts) || parts.length !== 2 || !parts.every((p) => typeof p === 'string')) {
    throw new AppError(ERROR_CODE.invalidInput, 'Invalid cursor');
  }
}

builder.prismaObjectFields('Player', (t) => ({
  matches: t.relatedConnection('participations', {
    cursor: 'matchId_puuid',
    ...connectionOptions,
    description: "The player's stored matches, newest first.",
    query: (args) => {
      checkParticipationCursor(args.after ?? args.before);
      // The participation's own copy of the game's start: match_participants_puuid_start_idx
      // hands the page over in order (sorting by the joined match's reads every game).
      return { orderBy: [{ gameStart: 'desc' }, { matchId: 'desc' }] };
    },
  }),
}));
