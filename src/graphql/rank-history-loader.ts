import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import type { RankSnapshot } from '../generated/prisma/client.ts';
import type { RankHistoryOptions } from '../players/rank-history.ts';
import type { GraphQLContext } from './context.ts';

/**
 * One DataLoader per request and per distinct (limit, queueType): every `rankHistory` of a page
 * resolves in the same tick, so a page of players costs one statement however long it is. No
 * cache: a subscription keeps its context across events, and each event must read afresh.
 */
const loaders = createContextCache(
  (_ctx: GraphQLContext) => new Map<string, DataLoader<string, RankSnapshot[]>>(),
);

export function loadRankHistory(
  ctx: GraphQLContext,
  puuid: string,
  options: RankHistoryOptions,
): Promise<RankSnapshot[]> {
  const byOptions = loaders(ctx);
  // The limit is an integer: the first newline ends it. (The resolver maps a '' queue to null.)
  const key = `${options.limit}\n${options.queueType ?? ''}`;
  let loader = byOptions.get(key);
  if (!loader) {
    loader = new DataLoader(
      async (puuids) => {
        const found = await ctx.reads.rankHistory(puuids, options);
        return puuids.map((p) => found.get(p) ?? []);
      },
      { cache: false },
    );
    byOptions.set(key, loader);
  }
  return loader.load(puuid);
}
