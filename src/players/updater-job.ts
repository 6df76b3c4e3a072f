import { z } from 'zod';
import { defineJob, type JobContext } from '../jobs/engine/index.ts';
import { NothingDoneError, onItemFailure } from '../jobs/item-failure.ts';
import { type SoftDeadline, softDeadline } from '../jobs/run-deadline.ts';
import { createMatchStore } from './match-store.ts';
import type { RunMatches, SyncDeps } from './match-sync.ts';
import { markUpdated, type TrackedPlayer, updateTrackedPlayer } from './player-update.ts';

export const trackedPlayerUpdaterConfig = z.strictObject({
  /** Hard cap on match payloads fetched per player per run. */
  max_new_matches_per_player: z.number().int().min(1).max(100).default(20),
  /** Players per run (MAX_TRACKED_PLAYERS caps how many may be tracked at all). */
  max_tracked_players: z.number().int().min(0).max(10_000).default(10),
  /** Match queues to fetch: ranked solo (420) by default. */
  queues: z.array(z.number().int().nonnegative()).min(1).default([420]),
});
type Config = z.output<typeof trackedPlayerUpdaterConfig>;

/**
 * Tracked players, least recently updated first, up to `max_tracked_players`: each one's new
 * matches (stored with every participant, discovered players marked due for analysis), its rank
 * when it moved, its Riot ID when no match showed it lately. One player failing goes to
 * execution_log; an invalid or expired key (401/403), or a 429 the client's retries could not
 * get past, fails the run: every further request would meet the same answer. A run the rate budget
 * cannot finish stops before its timeout and leaves the rest to the next one.
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
      select: {
        puuid: true,
        platform: true,
        matchesSyncedUntil: true,
        pendingMatchIds: true,
        rankCheckedAt: true,
      },
    });
    if (players.length === 0) {
      ctx.progress({ phase: 'done: no tracked players', processed: 0, total: 0 });
      return;
    }
    const deadline = softDeadline(ctx.deadline, ctx.signal);
    try {
      await updatePlayers(config, ctx, players, deadline);
    } finally {
      deadline.dispose();
    }
  },
});

async function updatePlayers(
  config: Config,
  ctx: JobContext,
  players: TrackedPlayer[],
  deadline: SoftDeadline,
) {
  const total = players.length;
  const runMatches: RunMatches = new Map();
  const deps: SyncDeps = {
    prisma: ctx.prisma,
    riot: ctx.riot.scoped({ signal: deadline.signal }),
    store: createMatchStore(ctx.prisma),
    runMatches,
    onSkipped: (matchId, reason) => ctx.itemFailed(matchId, reason),
  };
  const options = { cap: config.max_new_matches_per_player, queues: config.queues };
  let matchesStored = 0;
  let updated = 0;
  const failures: unknown[] = [];
  let left: TrackedPlayer[] = [];
  ctx.progress({ phase: 'players', processed: 0, total });
  for (const [index, player] of players.entries()) {
    if (deadline.reached()) {
      left = players.slice(index);
      break;
    }
    const phase = (what: string) =>
      ctx.progress({ phase: `player ${index + 1}/${total}: ${what}`, processed: index, total });
    deps.onStored = (stored, fetched, toFetch) => {
      if (stored.stored) matchesStored += 1;
      ctx.count('recordsCreated', (stored.stored ? 1 : 0) + stored.newPlayers);
      ctx.count('recordsUpdated', stored.updatedPlayers);
      phase(`matches ${fetched}/${toFetch}, ${matchesStored} stored this run`);
    };
    try {
      const update = await updateTrackedPlayer(deps, player, options, phase);
      ctx.count('recordsCreated', update.rank?.snapshotsCreated ?? 0);
      const changed = Number(update.rank?.playerChanged ?? false) + Number(!!update.riotIdChanged);
      ctx.count('recordsUpdated', changed);
      if (update.sync.truncated) {
        ctx.logger.warn(
          { puuid: player.puuid },
          'Match list longer than the pages read: older games skipped',
        );
      }
      updated += 1;
    } catch (error) {
      if (onItemFailure(ctx, deadline, player.puuid, error) === 'stop') {
        left = players.slice(index);
        break;
      }
      failures.push(error);
    }
    await markUpdated(ctx.prisma, player.puuid);
  }
  if (left.length > 0) {
    ctx.progress({
      phase: `stopped before the timeout: ${left.length} of ${total} players left for the next run, ${matchesStored} matches stored`,
      processed: total - left.length,
      total,
    });
    ctx.logger.warn(
      {
        players_left: left.length,
        puuids_left: left.map((p) => p.puuid),
        matches_stored: matchesStored,
      },
      'Stopped before the timeout: the rest is left for the next run',
    );
  } else {
    ctx.progress({ phase: `done: ${matchesStored} matches stored`, processed: total, total });
  }
  if (updated === 0 && matchesStored === 0) {
    throw new NothingDoneError('No player could be updated', {
      failed: failures.length,
      left: left.length,
      firstError: failures[0],
    });
  }
}
