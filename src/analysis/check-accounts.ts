import type { PrismaClient } from '../db/prisma.ts';
import type { JobContext } from '../jobs/engine/index.ts';
import { onItemFailure } from '../jobs/item-failure.ts';
import type { SoftDeadline } from '../jobs/run-deadline.ts';
import { RANKED_QUEUE_IDS } from '../players/rank.ts';
import type { RiotClient } from '../riot/client.ts';
import { isPlatform } from '../riot/routing.ts';
import { checkAccountStatus } from './account-status.ts';
import type { AnalyzerConfig } from './analyzer-job.ts';
import { RETRY_FAILED_HOURS } from './retry.ts';

/**
 * Account-status checks of flagged players whose last check is older than `ban_check_days`
 * (never checked first), as many as `unanalyzed_players_per_run`, budget permitting. The checks
 * are claimed before any request: a run of another analyzer configuration takes other players.
 */
export async function checkDueAccounts(
  deps: { prisma: PrismaClient; riot: RiotClient },
  ctx: JobContext,
  config: AnalyzerConfig,
  deadline: SoftDeadline,
): Promise<void> {
  const due = await claimDueChecks(deps.prisma, config);
  const now = new Date();
  // Checks not done (the deadline, or a failure that ends the run) are due again at once.
  let done = 0;
  try {
    for (const [index, row] of due.entries()) {
      if (deadline.reached()) {
        ctx.logger.warn(
          { checks_left: due.length - index },
          'Account checks left for the next run',
        );
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
      done = index + 1;
    }
    ctx.progress({ phase: 'account status', processed: due.length, total: due.length });
  } finally {
    await releaseClaims(
      deps.prisma,
      due.slice(done).map((r) => r.puuid),
    );
  }
}

/**
 * Claims the due checks by marking them started (`ban_check_failed_at`, cleared when a check is
 * recorded): due no more for an hour, so a concurrent run skips them, and a run that dies
 * mid-check leaves them to be retried like a failure. Locked rows are skipped, not waited for.
 */
async function claimDueChecks(prisma: PrismaClient, config: AnalyzerConfig) {
  const rankedQueues = [...RANKED_QUEUE_IDS];
  const rows = await prisma.$queryRaw<
    {
      puuid: string;
      platform: string;
      riot_id: string | null;
      account_status: string;
      last_ban_check: Date | null;
      last_ranked_game_at: Date | null;
    }[]
  >`
    WITH due AS (
      SELECT puuid FROM players
      WHERE is_flagged
        AND (last_ban_check IS NULL
          OR last_ban_check < now() - make_interval(days => ${config.ban_check_days}::int))
        AND (ban_check_failed_at IS NULL
          OR ban_check_failed_at < now() - make_interval(hours => ${RETRY_FAILED_HOURS}::int))
      ORDER BY last_ban_check ASC NULLS FIRST, puuid
      LIMIT ${config.unanalyzed_players_per_run}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE players p SET ban_check_failed_at = now()
    FROM due WHERE p.puuid = due.puuid
    RETURNING p.puuid, p.platform, p.riot_id, p.account_status, p.last_ban_check,
      (SELECT max(mp.game_start) FROM match_participants mp
       WHERE mp.puuid = p.puuid AND mp.queue_id = ANY(${rankedQueues}::int[])) AS last_ranked_game_at`;
  const order = (d: Date | null) => d?.getTime() ?? Number.NEGATIVE_INFINITY;
  return rows.sort(
    (a, b) => order(a.last_ban_check) - order(b.last_ban_check) || (a.puuid < b.puuid ? -1 : 1),
  );
}

/** Checks this run claimed and left: due again for the next run. */
async function releaseClaims(prisma: PrismaClient, puuids: string[]) {
  if (puuids.length === 0) return;
  await prisma.$executeRaw`
    UPDATE players SET ban_check_failed_at = NULL WHERE puuid = ANY(${puuids}::text[])`;
}

/** A failed check waits an hour, and the players due meanwhile go first. */
async function retryLater(prisma: PrismaClient, puuid: string) {
  await prisma.$executeRaw`UPDATE players SET ban_check_failed_at = now() WHERE puuid = ${puuid}`;
}
