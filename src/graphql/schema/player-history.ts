import { z } from 'zod';
import { builder } from '../builder.ts';
import { type FactorView, parseFactors } from '../factors.ts';
import { loadAnalyses, loadRankHistory } from '../history-loaders.ts';

const byLimit = (fallback: number) => (args: { limit?: number | null }) => ({
  field: 1,
  multiplier: Math.min(Math.max(args.limit ?? fallback, 1), 500),
});

const historyLimit = (fallback: number) => ({
  required: false as const,
  defaultValue: fallback,
  description: 'Newest first; at most 500.',
  validate: z.number().int().min(1, 'must be at least 1').max(500, 'must be at most 500'),
});

const RankSnapshot = builder.prismaObject('RankSnapshot', {
  description: 'A ranked standing, recorded whenever tier, division, LP, wins or losses changed.',
  fields: (t) => ({
    queueType: t.exposeString('queueType', { description: 'e.g. RANKED_SOLO_5x5.' }),
    tier: t.exposeString('tier'),
    division: t.exposeString('rank'),
    leaguePoints: t.exposeInt('leaguePoints'),
    wins: t.exposeInt('wins'),
    losses: t.exposeInt('losses'),
    capturedAt: t.expose('capturedAt', { type: 'DateTime' }),
  }),
});

const Factor = builder.objectRef<FactorView>('DetectionFactor').implement({
  description: 'One factor of an analysis: its score in [0, 1] and why.',
  fields: (t) => ({
    name: t.exposeString('name'),
    score: t.exposeFloat('score', { nullable: true }),
    weight: t.exposeFloat('weight', { nullable: true, description: 'Share of the total score.' }),
    explanation: t.exposeString('explanation', { nullable: true }),
    details: t.expose('details', { type: 'JSON', nullable: true }),
  }),
});

const PlayerAnalysis = builder.prismaObject('PlayerAnalysis', {
  description: 'One detection run over a player (the newest is current).',
  fields: (t) => ({
    algorithmVersion: t.exposeString('algorithmVersion'),
    smurfScore: t.exposeFloat('smurfScore', { nullable: true }),
    smurfConfidence: t.exposeString('smurfConfidence', {
      description: 'high, medium, low, none or insufficient_data.',
    }),
    smurfFactors: t.field({ type: [Factor], resolve: (a) => parseFactors(a.smurfFactors) }),
    boostedScore: t.exposeFloat('boostedScore', { nullable: true }),
    boostedFactors: t.field({ type: [Factor], resolve: (a) => parseFactors(a.boostedFactors) }),
    gamesAnalyzed: t.exposeInt('gamesAnalyzed'),
    isFlagged: t.exposeBoolean('isFlagged'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.prismaObject('AccountStatusEvent', {
  description: 'A change of account status found by a ban check, with its evidence.',
  fields: (t) => ({
    previousStatus: t.exposeString('previousStatus', { nullable: true }),
    status: t.exposeString('status'),
    evidence: t.expose('evidence', { type: 'JSON' }),
    detectedAt: t.expose('detectedAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectFields('Player', (t) => ({
  // Not t.relations: see history-loaders.ts.
  rankHistory: t.field({
    type: [RankSnapshot],
    description: 'Rank changes, newest first.',
    complexity: byLimit(50),
    args: {
      queueType: t.arg.string({
        required: false,
        description: 'e.g. RANKED_SOLO_5x5.',
        validate: z
          .string()
          .max(40)
          .regex(/^[A-Za-z0-9_]*$/, 'Expected a queue type such as RANKED_SOLO_5x5'),
      }),
      limit: t.arg.int(historyLimit(50)),
    },
    resolve: (player, args, ctx) =>
      loadRankHistory(ctx, player.puuid, {
        limit: args.limit ?? 50,
        // An empty queueType filtered nothing before: it still does.
        queueType: args.queueType || null,
      }),
  }),
  analyses: t.field({
    type: [PlayerAnalysis],
    description: 'Detection runs, newest first.',
    complexity: byLimit(10),
    args: { limit: t.arg.int(historyLimit(10)) },
    resolve: (player, args, ctx) => loadAnalyses(ctx, player.puuid, args.limit ?? 10),
  }),
  accountStatusHistory: t.relation('statusEvents', {
    description: 'Account status changes found by ban checks, newest first.',
    complexity: byLimit(50),
    args: { limit: t.arg.int(historyLimit(50)) },
    query: (args) => ({
      orderBy: [{ detectedAt: 'desc' }, { id: 'desc' }],
      take: args.limit ?? 50,
    }),
  }),
}));
