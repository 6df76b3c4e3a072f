import DataLoader from 'dataloader';
import type { MatchParticipant, PlayerAnalysis, RankSnapshot } from '../generated/prisma/client.ts';
import type { ParticipationPage } from '../players/participation-pages.ts';
import type { RankHistoryOptions } from '../players/rank-history.ts';
import type { GraphQLContext } from './context.ts';
import type { ParticipationQuery } from './player-reads.ts';

/**
 * Per-player histories (rank snapshots, analyses, pages of matches) of a whole page in one
 * statement: one DataLoader per server (its read models) and per kind and arguments, and every
 * field of a page resolves in the same tick. Shared by the requests of a server rather than made
 * per request: an event reaches every subscriber's context in the same tick, and a dashboard's
 * `playerFlagged { player { analyses } }` then costs one statement however many are open. Not a
 * t.relation: plugin-prisma would nest it in the page's query, where Prisma reads every row of
 * every player and keeps `limit` of each in memory. No cache: each request and each event reads
 * afresh (what it reads does not depend on who asks).
 */
const loaders = new WeakMap<object, Map<string, DataLoader<string, unknown[]>>>();

function loadHistory<T>(
  ctx: GraphQLContext,
  key: string,
  puuid: string,
  read: (puuids: readonly string[]) => Promise<Map<string, T[]>>,
): Promise<T[]> {
  let pending = loaders.get(ctx.reads);
  if (!pending) {
    pending = new Map();
    loaders.set(ctx.reads, pending);
  }
  const batches = pending;
  let loader = batches.get(key) as DataLoader<string, T[]> | undefined;
  if (!loader) {
    const created = new DataLoader<string, T[]>(
      async (puuids) => {
        // The tick's batch is sent: later loads make a loader of their own, so none stays behind
        // for each cursor or queue type ever asked for.
        if (batches.get(key) === created) batches.delete(key);
        const found = await read(puuids);
        return puuids.map((p) => found.get(p) ?? []);
      },
      { cache: false },
    );
    batches.set(key, created as DataLoader<string, unknown[]>);
    loader = created;
  }
  return loader.load(puuid);
}

export function loadRankHistory(
  ctx: GraphQLContext,
  puuid: string,
  options: RankHistoryOptions,
): Promise<RankSnapshot[]> {
  // The limit is an integer: the first newline ends it. (The resolver maps a '' queue to null.)
  const key = `rank\n${options.limit}\n${options.queueType ?? ''}`;
  return loadHistory(ctx, key, puuid, (puuids) => ctx.reads.rankHistory(puuids, options));
}

export function loadAnalyses(
  ctx: GraphQLContext,
  puuid: string,
  limit: number,
): Promise<PlayerAnalysis[]> {
  return loadHistory(ctx, `analyses\n${limit}`, puuid, (puuids) =>
    ctx.reads.analyses(puuids, limit),
  );
}

/** A player's page of matches, aligned with its keys (see PlayerReads.matchPages). */
export function loadMatchPage(
  ctx: GraphQLContext,
  puuid: string,
  page: ParticipationPage,
  query: ParticipationQuery,
): Promise<(MatchParticipant | null)[]> {
  return loadHistory(ctx, `matches\n${JSON.stringify([page, query])}`, puuid, (puuids) =>
    ctx.reads.players.matchPages(puuids, page, query),
  );
}
