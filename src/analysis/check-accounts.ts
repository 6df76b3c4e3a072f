import type { PrismaClient } from '../db/prisma.ts';
import type { JobContext } from '../jobs/engine/index.ts';
import { onItemFailure } from '../jobs/item-failure.ts';
import type { SoftDeadline } from '../jobs/run-deadline.ts';
import { RANKED_QUEUE_IDS } from '../players/rank.ts';
import type { RiotClient } from '../riot/client.ts';
import { isPlatform } from '../riot/routing.ts';
import { checkAccountStatus } from './account-status.ts';
import type { AnalyzerConfig } from './analyzer-job.ts';

/** How long a check that failed waits before it is due again. */
const RETRY_FAILED_CHECK_HOURS = 1;

/**
 * Account-status checks of flagged players whose last check is older than `ban_check_days`
 * (never checked first), as many as `unanalyzed_players_per_run`, budget permitting.
 */
export async function checkDueAccounts(
  deps: { prisma: PrismaClient; riot: RiotClient },
  ctx: JobContext,
  config: AnalyzerConfig,
  deadline: SoftDeadline,
): Promise<void> {
  const rankedQueues = [...RANKED_QUEUE_IDS];
  const due = await deps.prisma.$queryRaw<
    {
      puuid: string;
      platform: string;
      riot_id: string | null;
      account_status: string;
      last_ranked_game_at: Date | null;
    }[]
  >`
    SELECT p.puuid, p.platform, p.riot_id, p.account_status,
      (SELECT max(mp.game_start) FROM match_participants mp
       WHERE mp.puuid = p.puuid AND mp.queue_id = ANY(${rankedQueues}::int[])) AS last_ranked_game_at
    FROM players p
    WHERE p.is_flagged
      AND (p.last_ban_check IS NULL
        OR p.last_ban_check < now() - make_interval(days => ${config.ban_check_days}::int))
      AND (p.ban_check_failed_at IS NULL
        OR p.ban_check_failed_at < now() - make_interval(hours => ${RETRY_FAILED_CHECK_HOURS}::int))
    ORDER BY p.last_ban_check ASC NULLS FIRST, p.puuid
    LIMIT ${config.unanalyzed_players_per_run}`;
  const now = new Date();
  for (const [index, row] of due.entries()) {
    if (deadline.reached()) {
      ctx.logger.warn({ checks_left: due.length - index }, 'Account checks left for the next run');
      return;
    }
    ctx.progress({ phase: 'account status', processed: index, total: due.length });
    try {
      if (!isPlatform(row.platform)) throw new Error(`Unknown platform ${row.platform}`);
      const check = await checkAccountStatus(
        deps,
        {
          puuid: row.puuid,
          platform: row.platform,
          riotId: row.riot_id,
          accountStatus: row.account_status,
          lastRankedGameAt: row.last_ranked_game_at,
        },
        { inactiveAfterDays: config.inactive_after_days, now },
      );
      ctx.count('recordsUpdated');
      if (check.recorded) {
        ctx.count('recordsCreated');
        ctx.logger.info(
          { puuid: row.puuid, status: check.status, previous: row.account_status },
          'Account status changed',
        );
      }
    } catch (error) {
      if (onItemFailure(ctx, deadline, row.puuid, error) === 'stop') return;
      // Left first in line, a check that always fails would take every run's slots.
      await retryLater(deps.prisma, row.puuid);
    }
  }
  ctx.progress({ phase: 'account status', processed: due.length, total: due.length });
}

/** A failed check waits this long, and the players due meanwhile go first. */
async function retryLater(prisma: PrismaClient, puuid: string) {
  await prisma.$executeRaw`UPDATE players SET ban_check_failed_at = now() WHERE puuid = ${puuid}`;
}
