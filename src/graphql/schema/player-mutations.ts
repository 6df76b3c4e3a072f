import { z } from 'zod';
import type { Player } from '../../generated/prisma/client.ts';
import { parseRiotId } from '../../players/input.ts';
import type { TrackInput } from '../../players/tracking.ts';
import { builder } from '../builder.ts';
import { MUTATION_ERRORS } from './errors.ts';
import { PlayerNode } from './players.ts';

const text = z.string().max(200, 'must be at most 200 characters');

const TrackPlayerInput = builder.inputType('TrackPlayerInput', {
  description:
    'Either `puuid` (platform optional: DEFAULT_PLATFORM), or a Riot ID (`riotId`, or `gameName` + `tagLine`) with `platform`.',
  fields: (t) => ({
    puuid: t.string({ required: false }),
    riotId: t.string({ required: false, description: '`gameName#tagLine`.' }),
    gameName: t.string({ required: false }),
    tagLine: t.string({ required: false }),
    platform: t.string({ required: false, description: 'e.g. `euw1`, `na1`, `kr`.' }),
  }),
  validate: z
    .object({
      puuid: text.nullish(),
      riotId: text.nullish(),
      gameName: text.nullish(),
      tagLine: text.nullish(),
      platform: text.nullish(),
    })
    .refine(
      (i) =>
        [i.puuid != null, i.riotId != null, i.gameName != null || i.tagLine != null].filter(Boolean)
          .length === 1,
      { message: 'Give exactly one of puuid, riotId, or gameName with tagLine' },
    )
    .refine((i) => (i.gameName == null) === (i.tagLine == null), {
      message: 'gameName and tagLine go together',
    })
    .refine((i) => i.puuid != null || i.platform != null, {
      message: 'A Riot ID needs a platform',
      path: ['platform'],
    }),
});

const UntrackPlayerInput = builder.inputType('UntrackPlayerInput', {
  fields: (t) => ({ puuid: t.string({ validate: text }) }),
});

const PlayerPayload = builder.objectRef<{ player: Player }>('PlayerPayload').implement({
  fields: (t) => ({ player: t.field({ type: PlayerNode, resolve: (p) => p.player }) }),
});

function trackInput(input: {
  puuid?: string | null;
  riotId?: string | null;
  gameName?: string | null;
  tagLine?: string | null;
  platform?: string | null;
}): TrackInput {
  if (input.puuid != null) return { puuid: input.puuid, platform: input.platform };
  const riotId = input.riotId != null ? parseRiotId(input.riotId) : null;
  return {
    gameName: riotId?.gameName ?? input.gameName ?? '',
    tagLine: riotId?.tagLine ?? input.tagLine ?? '',
    platform: input.platform ?? '',
  };
}

builder.mutationFields((t) => ({
  trackPlayer: t.field({
    type: PlayerPayload,
    description:
      'Tracks a player (Riot lookup when riftwatch does not know it). Already tracked: returned as is. Refused past MAX_TRACKED_PLAYERS.',
    args: { input: t.arg({ type: TrackPlayerInput }) },
    errors: { types: MUTATION_ERRORS },
    resolve: async (_root, { input }, ctx) => ({
      player: await ctx.players.track(trackInput(input)),
    }),
  }),
  untrackPlayer: t.field({
    type: PlayerPayload,
    description: 'Stops tracking a player; its data stays.',
    args: { input: t.arg({ type: UntrackPlayerInput }) },
    errors: { types: MUTATION_ERRORS },
    resolve: async (_root, { input }, ctx) => ({ player: await ctx.players.untrack(input.puuid) }),
  }),
}));
