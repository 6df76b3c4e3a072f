import { Prisma } from '../generated/prisma/client.ts';
import type { JobContext } from '../jobs/engine/index.ts';
import { onItemFailure } from '../jobs/item-failure.ts';
import type { SoftDeadline } from '../jobs/run-deadline.ts';
import { type SyncDeps, syncPlayerMatches } from '../players/match-sync.ts';
import { REFRESH_AFTER_MS } from '../players/player-update.ts';
import { refreshRank } from '../players/rank.ts';
import { RiotBadRequestError, RiotNotFoundError } from '../riot/errors.ts';
import { isPlatform } from '../riot/routing.ts';
import type { AnalyzerConfig } from './analyzer-job.ts';
import { type DuePlayer, retryAnalysisLater } from './due-players.ts';
import { eligibleGameCount } from './eligible-games.ts';
import { ANALYSED_QUEUES } from './player-inputs.ts';

/**
 * What detection needs from Riot before it can judge a player: a current rank (one league-v4
 * request when the stored one is missing or a day old) and, with fewer than `min_games` ranked
 * games stored, the newest `history_games`. Returns the players ready for analysis: all of them,
 * or those handled before the run's soft deadline (the rest stay due for the next run), and how
 * many were held back (`waiting`). A player Riot will not answer for (a gone account, a PUUID of
 * another key) is analysed on what is stored; one whose fetch failed otherwise (a 5xx or network
 * error past the retries), or whose games are still too few while some of them wait to be asked
 * for again, waits an hour, rather than be judged on missing games or an unknown rank and not
 * looked at again.
 */
export async function fetchHistory(
  deps: SyncDeps,
  ctx: JobContext,
  due: readonly DuePlayer[],
  config: AnalyzerConfig,
  deadline: SoftDeadline,
): Promise<{ ready: DuePlayer[]; waiting: number }> {
  const ready: DuePlayer[] = [];
  let waiting = 0;
  const now = Date.now();
  for (const [index, player] of due.entries()) {
    const needsRank =
      !player.rankCheckedAt || now - player.rankCheckedAt.getTime() > REFRESH_AFTER_MS;
    const needsGames = player.storedGames < config.min_games && config.history_games > 0;
    if (!needsRank && !needsGames) {
      ready.push(player);
      continue;
    }
    if (deadline.reached()) break;
    ctx.progress({
      phase: `history ${index + 1}/${due.length}`,
      processed: index,
      total: due.length,
    });
    try {
      if (!isPlatform(player.platform)) throw new Error(`Unknown platform ${player.platform}`);
      const target = { puuid: player.puuid, platform: player.platform };
      if (needsRank) {
        const rank = await refreshRank(deps.prisma, deps.riot, target);
        ctx.count('recordsCreated', rank.snapshotsCreated);
      }
      if (needsGames) {
        const sync = await syncPlayerMatches(
          {
            ...deps,
            onStored: (s) => ctx.count('recordsCreated', (s.stored ? 1 : 0) + s.newPlayers),
          },
          { ...target, matchesSyncedUntil: null, pendingMatchIds: [] },
          { cap: config.history_games, queues: ANALYSED_QUEUES },
        );
        if (sync.error) throw sync.error;
        if (
          sync.retrying.length > 0 &&
          (await storedGames(deps, player.puuid)) < config.min_games
        ) {
          await retryAnalysisLater(deps.prisma, [player.puuid]);
          waiting += 1;
          continue;
        }
      }
    } catch (error) {
      if (onItemFailure(ctx, deadline, player.puuid, error) === 'stop') break;
      if (!answersTheSameLater(error)) {
        await retryAnalysisLater(deps.prisma, [player.puuid]);
        waiting += 1;
        continue;
      }
    }
    ready.push(player);
  }
  return { ready, waiting };
}

/** The player's stored games that detection counts. */
async function storedGames(deps: SyncDeps, puuid: string): Promise<number> {
  const [row] = await deps.prisma.$queryRaw<{ games: number }[]>`
    SELECT ${eligibleGameCount(Prisma.sql`${puuid}`, ANALYSED_QUEUES)} AS games`;
  return row?.games ?? 0;
}

/** Riot's answer for this player will not change: asking again later is no use. */
function answersTheSameLater(error: unknown): boolean {
  return error instanceof RiotNotFoundError || error instanceof RiotBadRequestError;
}
