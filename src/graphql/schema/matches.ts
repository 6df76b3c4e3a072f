import { queryFromInfo } from '@pothos/plugin-prisma';
import { AppError, ERROR_CODE } from '../../errors.ts';
import type { ParticipationPage } from '../../players/participation-pages.ts';
import { formatRiotId } from '../../players/riot-id.ts';
import { builder } from '../builder.ts';
import { connectionOf, cursorPagination, pageOf } from '../cursor-connection.ts';
import { loadMatchPage } from '../history-loaders.ts';
import type { ParticipationQuery } from '../player-reads.ts';
import { PLANS_BELOW } from '../stable-paths.ts';
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

const Participation = builder.prismaObject('MatchParticipant', {
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

/** A participation's cursor: its match id and PUUID (the key plugin-prisma's cursors name). */
const CURSOR_FIELDS = ['matchId', 'puuid'] as const;

/** The participation a page starts from; a forged cursor may decode to any values. */
function participationCursor(parsed: unknown): ParticipationPage['cursor'] {
  if (parsed === undefined) return undefined;
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    !parsed.every((part) => typeof part === 'string')
  ) {
    throw new AppError(ERROR_CODE.invalidInput, 'Invalid cursor');
  }
  const [matchId, puuid] = parsed as [string, string];
  return { matchId, puuid };
}

builder.prismaObjectFields('Player', (t) => ({
  // Not t.relatedConnection (see history-loaders.ts); the cursors are the ones it wrote.
  matches: t.connection({
    type: Participation,
    validate: connectionOptions.validate,
    complexity: connectionOptions.complexity,
    description: "The player's stored matches, newest first.",
    // The player's PUUID is on every Player row (the type's own selection).
    extensions: { [PLANS_BELOW]: true },
    resolve: async (player, args, ctx, info) => {
      const pagination = cursorPagination(args, connectionOptions);
      const page = {
        take: pagination.take,
        cursor: participationCursor(pagination.past),
      };
      const query: ParticipationQuery = await queryFromInfo({
        context: ctx,
        info,
        typeName: 'MatchParticipation',
        paths: [['edges', 'node']],
        awaitSelections: true,
      });
      const rows = await loadMatchPage(ctx, player.puuid, page, query);
      const { page: found, full } = pageOf(rows, pagination);
      return connectionOf(
        found.filter((row) => row !== null),
        full,
        args,
        CURSOR_FIELDS,
      );
    },
  }),
}));
