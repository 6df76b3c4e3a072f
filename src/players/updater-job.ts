import { z } from 'zod';
import { defineJob } from '../jobs/engine/index.ts';
import { RiotForbiddenError, RiotRateLimitedError, RiotUnauthorizedError } from '../riot/errors.ts';
import { accountRegionOf, isPlatform } from '../riot/routing.ts';

export const trackedPlayerUpdaterConfig = z.strictObject({
  max_new_matches_per_player: z.number().int().min(1).max(100).default(20),
  max_tracked_players: z.number().int().min(0).max(10_000).default(10),
  /** Match queues to fetch: ranked solo (420) by default. */
  queues: z.array(z.number().int().nonnegative()).min(1).default([420]),
});

/**
 * First slice of the updater: tracked players, least recently updated first, up to
 * `max_tracked_players`; each one's Riot ID is refreshed from account-v1 by PUUID. Matches, rank
 * and discovery come with the domain issue. One player failing goes to execution_log; an
 * invalid or expired key (401/403), or a 429 the client's retries could not get past, fails the
 * run: every further request would meet the same answer.
 */
export const trackedPlayerUpdater = defineJob({
  description: 'Keeps tracked players fresh from the Riot API',
  configSchema: trackedPlayerUpdaterConfig,
  // The analyzer consumes what a run discovered.
  onSuccess: (ctx) => ctx.enqueue('player_analyzer'),
  async handler(config, ctx) {
    const players = await ctx.prisma.player.findMany({
      where: { isTracked: true },
      orderBy: { lastUpdated: { sort: 'asc', nulls: 'first' } },
      take: config.max_tracked_players,
      select: { puuid: true, platform: true, riotId: true },
    });
    let processed = 0;
    ctx.progress({ phase: 'players', processed, total: players.length });
    for (const player of players) {
      ctx.signal.throwIfAborted();
      try {
        if (!isPlatform(player.platform)) throw new Error(`Unknown platform ${player.platform}`);
        const account = await ctx.riot.getAccountByPuuid(
          accountRegionOf(player.platform),
          player.puuid,
        );
        const gameName = account.gameName ?? null;
        const tagLine = account.tagLine ?? null;
        await ctx.prisma.player.update({
          where: { puuid: player.puuid },
          data: {
            gameName,
            tagLine,
            riotId: gameName && tagLine ? `${gameName}#${tagLine}` : player.riotId,
            lastUpdated: new Date(),
          },
        });
        ctx.count('recordsUpdated');
      } catch (error) {
        if (endsTheRun(error)) throw error;
        if (ctx.signal.aborted) throw ctx.signal.reason;
        ctx.itemFailed(player.puuid, error);
      }
      processed += 1;
      ctx.progress({ phase: 'players', processed, total: players.length });
    }
  },
});

function endsTheRun(error: unknown): boolean {
  return (
    error instanceof RiotUnauthorizedError ||
    error instanceof RiotForbiddenError ||
    error instanceof RiotRateLimitedError
  );
}
