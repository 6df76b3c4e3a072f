import type { PrismaClient } from '../db/prisma.ts';
import { formatRiotId } from '../players/riot-id.ts';
import type { RiotClient } from '../riot/client.ts';
import { RiotNotFoundError } from '../riot/errors.ts';
import { accountRegionOf, type Platform, regionOf } from '../riot/routing.ts';

/** What a check can conclude. The public API has no ban endpoint: nothing here says "banned". */
const ACCOUNT_STATUSES = ['active', 'renamed', 'not_found', 'no_lol_profile', 'inactive'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export type StatusCheckPlayer = {
  puuid: string;
  platform: Platform;
  riotId: string | null;
  accountStatus: string;
  /** The newest ranked game stored for the player. */
  lastRankedGameAt: Date | null;
};

export type StatusCheck = {
  status: AccountStatus;
  /** The facts behind `status`, stored with the event. */
  evidence: Record<string, unknown>;
  /** Whether an `account_status_events` row was written (status changed, or a rename seen). */
  recorded: boolean;
};

/**
 * Checks a flagged player's account: account-v1 by PUUID (a 404: `not_found`; another Riot ID:
 * `renamed`), summoner-v4 by PUUID on its platform (a 404: `no_lol_profile`), and no ranked game
 * for `inactiveAfterDays` (`inactive`: none stored, and match-v5 lists none since). A 404 is
 * evidence, never an error; other failures throw.
 */
export async function checkAccountStatus(
  deps: { prisma: PrismaClient; riot: RiotClient },
  player: StatusCheckPlayer,
  options: { inactiveAfterDays: number; now: Date },
): Promise<StatusCheck> {
  const notFound = (error: unknown) => {
    if (error instanceof RiotNotFoundError) return null;
    throw error;
  };
  const account = await deps.riot
    .getAccountByPuuid(accountRegionOf(player.platform), player.puuid)
    .catch(notFound);
  let status: AccountStatus;
  let evidence: Record<string, unknown>;
  let renamedTo: { gameName: string; tagLine: string } | null = null;
  if (!account) {
    status = 'not_found';
    evidence = { source: 'account-v1 by PUUID', http_status: 404 };
    return record(deps.prisma, player, status, evidence, renamedTo);
  }
  const summoner = await deps.riot
    .getSummonerByPuuid(player.platform, player.puuid)
    .catch(notFound);
  const riotId = formatRiotId(account.gameName, account.tagLine);
  if (riotId && player.riotId && riotId !== player.riotId) {
    renamedTo = { gameName: account.gameName as string, tagLine: account.tagLine as string };
  }
  const idleSince = new Date(options.now.getTime() - options.inactiveAfterDays * 86_400_000);
  if (!summoner) {
    status = 'no_lol_profile';
    evidence = { source: 'summoner-v4 by PUUID', http_status: 404, platform: player.platform };
  } else if (!(await playedRankedSince(deps.riot, player, idleSince))) {
    // The profile's revision date moves with any game or icon change: evidence, not the test.
    status = 'inactive';
    evidence = {
      source: 'match-v5 ranked match ids by PUUID',
      no_ranked_game_since: idleSince.toISOString(),
      last_ranked_game_at: player.lastRankedGameAt?.toISOString() ?? null,
      profile_revised_at: new Date(summoner.revisionDate).toISOString(),
      inactive_after_days: options.inactiveAfterDays,
    };
  } else if (renamedTo) {
    status = 'renamed';
    evidence = {};
  } else {
    status = 'active';
    evidence = {};
  }
  if (renamedTo) evidence = { ...evidence, renamed_from: player.riotId, renamed_to: riotId };
  return record(deps.prisma, player, status, evidence, renamedTo);
}

/** A stored ranked game answers without a request; else one match-v5 listing since `since`. */
async function playedRankedSince(
  riot: RiotClient,
  player: StatusCheckPlayer,
  since: Date,
): Promise<boolean> {
  if (player.lastRankedGameAt && player.lastRankedGameAt >= since) return true;
  const ids = await riot.getMatchIdsByPuuid(regionOf(player.platform), player.puuid, {
    type: 'ranked',
    startTime: Math.floor(since.getTime() / 1000),
    count: 1,
  });
  return ids.length > 0;
}

async function record(
  prisma: PrismaClient,
  player: StatusCheckPlayer,
  status: AccountStatus,
  evidence: Record<string, unknown>,
  renamedTo: { gameName: string; tagLine: string } | null,
): Promise<StatusCheck> {
  const recorded = status !== player.accountStatus || renamedTo !== null;
  const riotId = formatRiotId(renamedTo?.gameName, renamedTo?.tagLine);
  await prisma.$transaction([
    ...(recorded
      ? [
          prisma.accountStatusEvent.create({
            data: {
              puuid: player.puuid,
              previousStatus: player.accountStatus,
              status,
              evidence: evidence as object,
            },
          }),
        ]
      : []),
    prisma.$executeRaw`
      UPDATE players SET account_status = ${status}, last_ban_check = now(), ban_check_failed_at = NULL,
        game_name = COALESCE(${renamedTo?.gameName ?? null}, game_name),
        tag_line = COALESCE(${renamedTo?.tagLine ?? null}, tag_line),
        riot_id = COALESCE(${riotId}, riot_id),
        summoner_name = COALESCE(${renamedTo?.gameName ?? null}, summoner_name),
        riot_id_observed_at = CASE WHEN ${riotId}::text IS NULL THEN riot_id_observed_at ELSE now() END
      WHERE puuid = ${player.puuid}`,
  ]);
  return { status, evidence, recorded };
}
