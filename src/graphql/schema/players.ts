import { queryFromInfo } from '@pothos/plugin-prisma';
import { z } from 'zod';
import { checkPuuid } from '../../players/input.ts';
import { builder } from '../builder.ts';
import {
  type CursorConnection,
  cursorConnection,
  cursorPagination,
  selectsTotalCountOnly,
} from '../cursor-connection.ts';
import { createFlatSelection } from '../flat-selection.ts';
import { connectionOptions, MAX_PAGE_SIZE } from './pagination.ts';

const Rank = builder
  .objectRef<{
    tier: string;
    division: string | null;
    leaguePoints: number | null;
    wins: number | null;
    losses: number | null;
  }>('Rank')
  .implement({
    description: 'A ranked standing (solo queue unless stated otherwise).',
    fields: (t) => ({
      tier: t.exposeString('tier', { description: 'IRON … CHALLENGER.' }),
      division: t.exposeString('division', {
        nullable: true,
        description: 'I–IV; null above Diamond.',
      }),
      leaguePoints: t.exposeInt('leaguePoints', { nullable: true }),
      wins: t.exposeInt('wins', { nullable: true }),
      losses: t.exposeInt('losses', { nullable: true }),
    }),
  });

/** What every Player row carries (the type's own selection, and the cursor). */
const PLAYER_SELECT = { puuid: true } as const;
const flatPlayerSelection = createFlatSelection('Player', PLAYER_SELECT);

export const PlayerNode = builder.prismaNode('Player', {
  description: 'A Riot account riftwatch knows: tracked by an operator or met in a tracked match.',
  id: { field: 'puuid' },
  // `node(id:)`: an unknown player is null, a malformed PUUID INVALID_INPUT.
  nullable: true,
  findUnique: (puuid) => ({ puuid: checkPuuid(puuid) }),
  // Select mode: a request reads the columns its fields need, not the whole row.
  select: PLAYER_SELECT,
  fields: (t) => ({
    puuid: t.exposeString('puuid', { description: "Riot's stable account id (78 characters)." }),
    gameName: t.exposeString('gameName', { nullable: true }),
    tagLine: t.exposeString('tagLine', { nullable: true }),
    riotId: t.exposeString('riotId', { nullable: true, description: '`gameName#tagLine`.' }),
    platform: t.exposeString('platform', { description: 'Lower-case platform, e.g. `euw1`.' }),
    summonerLevel: t.exposeInt('summonerLevel', { nullable: true }),
    profileIconId: t.exposeInt('profileIconId', { nullable: true }),
    rank: t.field({
      type: Rank,
      nullable: true,
      description: 'Current solo-queue rank; null when unranked or not yet fetched.',
      select: {
        currentTier: true,
        currentRank: true,
        currentLp: true,
        currentWins: true,
        currentLosses: true,
      },
      resolve: (p) =>
        p.currentTier
          ? {
              tier: p.currentTier,
              division: p.currentRank,
              leaguePoints: p.currentLp,
              wins: p.currentWins,
              losses: p.currentLosses,
            }
          : null,
    }),
    isTracked: t.exposeBoolean('isTracked'),
    isAnalyzed: t.exposeBoolean('isAnalyzed'),
    isFlagged: t.exposeBoolean('isFlagged', { description: 'Flagged by the latest analysis.' }),
    accountStatus: t.exposeString('accountStatus', {
      description: 'active, renamed, not_found, no_lol_profile or inactive (from ban checks).',
    }),
    trackedAt: t.expose('trackedAt', { type: 'DateTime', nullable: true }),
    discoveredAt: t.expose('discoveredAt', { type: 'DateTime' }),
    lastUpdated: t.expose('lastUpdated', { type: 'DateTime', nullable: true }),
    lastMatchAt: t.expose('lastMatchAt', { type: 'DateTime', nullable: true }),
    lastBanCheck: t.expose('lastBanCheck', { type: 'DateTime', nullable: true }),
    lastAnalyzedAt: t.expose('lastAnalyzedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryFields((t) => ({
  player: t.prismaField({
    type: 'Player',
    nullable: true,
    description: 'A player by PUUID; null when riftwatch does not know it.',
    args: { puuid: t.arg.string() },
    resolve: (query, _root, args, ctx) => ctx.reads.players.one(query, checkPuuid(args.puuid)),
  }),
  // Not plugin-prisma's prismaConnection, which writes every edge's cursor and plans the whole
  // selection on each request: the hot listing pages itself (cursor-connection.ts), with the same
  // paging and cursors, and plans only selections with relations (flat-selection.ts).
  players: t.connection(
    {
      type: PlayerNode,
      validate: connectionOptions.validate,
      complexity: connectionOptions.complexity,
      description: 'Players riftwatch knows, filtered; ordered by PUUID.',
      args: {
        tracked: t.arg.boolean({ required: false }),
        analyzed: t.arg.boolean({ required: false }),
        flagged: t.arg.boolean({ required: false }),
        platform: t.arg.string({ required: false, description: 'e.g. `euw1`.' }),
        search: t.arg.string({
          required: false,
          description: 'Riot ID prefix, case-insensitive: `Faker` or `Faker#KR`.',
        }),
      },
      resolve: async (_root, args, ctx, info) => {
        const pagination = cursorPagination(args, connectionOptions);
        const count = () => ctx.reads.players.count(args);
        if (selectsTotalCountOnly(info))
          return cursorConnection([], args, pagination, 'puuid', count);
        // The page's selection; with relations, plugin-prisma's plan for them too.
        const query =
          flatPlayerSelection(info) ??
          queryFromInfo({
            context: ctx,
            info,
            typeName: 'Player',
            select: PLAYER_SELECT,
            paths: [['edges', 'node']],
            awaitSelections: true,
          });
        const rows = await ctx.reads.players.page({ ...query, ...pagination }, args);
        return cursorConnection(rows, args, pagination, 'puuid', count);
      },
    },
    {
      fields: (c) => ({
        totalCount: c.int({
          resolve: (connection) => (connection as CursorConnection<unknown>).totalCount(),
        }),
      }),
    },
  ),
  trackedPlayers: t.prismaField({
    type: ['Player'],
    description: 'Tracked players, longest tracked first (at most MAX_TRACKED_PLAYERS).',
    resolve: (query, _root, _args, ctx) => ctx.reads.players.tracked(query),
  }),
  recentlyFlaggedPlayers: t.prismaField({
    type: ['Player'],
    description: 'Flagged players, most recently analysed first.',
    complexity: (args) => ({
      field: 1,
      multiplier: Math.min(Math.max(args.limit ?? 10, 1), MAX_PAGE_SIZE),
    }),
    args: {
      limit: t.arg.int({
        required: false,
        defaultValue: 10,
        description: `At most ${MAX_PAGE_SIZE}.`,
        validate: z
          .number()
          .int()
          .min(1, 'must be at least 1')
          .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`),
      }),
    },
    resolve: (query, _root, args, ctx) =>
      ctx.reads.players.recentlyFlagged(query, args.limit ?? 10),
  }),
}));
