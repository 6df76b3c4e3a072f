import type { PrismaClient } from '../db/prisma.ts';
import type { RiotClient } from '../riot/client.ts';
import { accountRegionOf, type Platform } from '../riot/routing.ts';

/** `gameName#tagLine`, or null unless both parts are there. */
export function formatRiotId(
  gameName: string | null | undefined,
  tagLine: string | null | undefined,
): string | null {
  return gameName && tagLine ? `${gameName}#${tagLine}` : null;
}

/**
 * account-v1 by PUUID: the player's Riot ID now. Returns whether it changed. An account without a
 * Riot ID keeps the stored one; either way the answer counts as an observation.
 */
export async function refreshRiotId(
  prisma: PrismaClient,
  riot: RiotClient,
  player: { puuid: string; platform: Platform },
): Promise<boolean> {
  const account = await riot.getAccountByPuuid(accountRegionOf(player.platform), player.puuid);
  const gameName = account.gameName || null;
  const tagLine = account.tagLine || null;
  const riotId = formatRiotId(gameName, tagLine);
  const [row] = await prisma.$queryRaw<{ changed: boolean }[]>`
    UPDATE players p SET
      game_name = COALESCE(${riotId && gameName}, p.game_name),
      tag_line = COALESCE(${riotId && tagLine}, p.tag_line),
      riot_id = COALESCE(${riotId}, p.riot_id),
      summoner_name = COALESCE(${riotId && gameName}, p.summoner_name),
      riot_id_observed_at = now()
    FROM (SELECT riot_id FROM players WHERE puuid = ${player.puuid}) old
    WHERE p.puuid = ${player.puuid}
    RETURNING old.riot_id IS DISTINCT FROM p.riot_id AS changed`;
  return row?.changed ?? false;
}
