import type { PrismaClient } from '../db/prisma.ts';
import type { Player } from '../generated/prisma/client.ts';
import type { RiotClient } from '../riot/client.ts';
import { accountRegionOf, type Platform } from '../riot/routing.ts';
import { lookupError, PlayerNotFoundError, TrackingLimitError } from './errors.ts';
import { checkPlatform, checkPuuid, checkRiotId } from './input.ts';
import { formatRiotId } from './riot-id.ts';

export type TrackInput =
  | { puuid: string; platform?: string | null }
  | { gameName: string; tagLine: string; platform: string };

/** Serialises tracking changes, so concurrent requests cannot pass MAX_TRACKED_PLAYERS together. */
const TRACKING_LOCK = 'riftwatch:tracking';

type Identity = {
  puuid: string;
  platform: Platform;
  gameName: string | null;
  tagLine: string | null;
  summonerLevel?: number;
  profileIconId?: number;
};

/** A Riot lookup for an operator (tracking) waits this long at most. */
const LOOKUP_TIMEOUT_MS = 30_000;

/**
 * Track and untrack: the use-cases GraphQL, REST, the CLI and scripts share. Riot lookups are
 * interactive (they go before background work). Expected failures are AppErrors (NOT_FOUND,
 * INVALID_INPUT, LIMIT_REACHED, RIOT_UNAVAILABLE) and change nothing.
 */
export function createPlayerTracking(deps: {
  prisma: PrismaClient;
  riot: RiotClient;
  /** MAX_TRACKED_PLAYERS: how many players may be tracked at once. */
  maxTrackedPlayers: number;
  defaultPlatform: Platform;
  /** How long a lookup may wait for Riot (its rate limit, a 429's Retry-After) before giving up. */
  lookupTimeoutMs?: number;
}) {
  const { prisma, maxTrackedPlayers } = deps;
  const interactive = deps.riot.scoped({ priority: 'interactive' });
  const lookupTimeoutMs = deps.lookupTimeoutMs ?? LOOKUP_TIMEOUT_MS;

  const countTracked = () => prisma.player.count({ where: { isTracked: true } });

  /** Riot's view of the account: canonical Riot ID casing, and a League profile on `platform`. */
  async function lookUp(input: TrackInput): Promise<Identity> {
    // The operator waits on the answer: not for as long as a 429 may hold the budget.
    const riot = interactive.scoped({ signal: AbortSignal.timeout(lookupTimeoutMs) });
    if ('puuid' in input) {
      const puuid = checkPuuid(input.puuid);
      const platform = checkPlatform(input.platform ?? deps.defaultPlatform);
      const what = `with PUUID ${puuid}`;
      const account = await riot
        .getAccountByPuuid(accountRegionOf(platform), puuid)
        .catch((error: unknown) => {
          throw lookupError(error, what);
        });
      return { ...(await profile(riot, platform, puuid, what)), ...riotIdOf(account) };
    }
    const { gameName, tagLine } = checkRiotId(input.gameName, input.tagLine);
    const platform = checkPlatform(input.platform);
    const what = `named ${gameName}#${tagLine}`;
    const account = await riot
      .getAccountByRiotId(accountRegionOf(platform), gameName, tagLine)
      .catch((error: unknown) => {
        throw lookupError(error, what);
      });
    return { ...(await profile(riot, platform, account.puuid, what)), ...riotIdOf(account) };
  }

  async function profile(riot: RiotClient, platform: Platform, puuid: string, what: string) {
    const summoner = await riot.getSummonerByPuuid(platform, puuid).catch((error: unknown) => {
      throw lookupError(error, `${what} on ${platform} (no League of Legends profile there)`);
    });
    return {
      puuid,
      platform,
      summonerLevel: summoner.summonerLevel,
      profileIconId: summoner.profileIconId,
    };
  }

  return {
    /**
     * Tracks a player by PUUID (platform defaults to DEFAULT_PLATFORM) or by Riot ID + platform.
     * Already tracked: returned as is. A PUUID riftwatch already knows is not looked up again,
     * unless the platform given is not the one stored (the profile there is checked, and the
     * platform changed); a Riot ID always is, as it names whoever holds it now (what riftwatch
     * stored may be a game old, and Riot IDs change hands).
     */
    async track(input: TrackInput): Promise<Player> {
      const looked = 'puuid' in input ? null : await lookUp(input);
      const puuid = looked?.puuid ?? checkPuuid((input as { puuid: string }).puuid);
      // Checked even when the player turns out to be tracked already.
      const given =
        'puuid' in input && input.platform != null ? checkPlatform(input.platform) : null;
      const known = await prisma.player.findUnique({ where: { puuid } });
      if (known?.isTracked) return known;
      if ((await countTracked()) >= maxTrackedPlayers)
        throw new TrackingLimitError(maxTrackedPlayers);
      const samePlatform = given === null || given === known?.platform;
      const identity: Identity =
        looked ??
        (known && samePlatform
          ? {
              puuid: known.puuid,
              platform: checkPlatform(known.platform),
              gameName: null,
              tagLine: null,
            }
          : await lookUp(input));
      return prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${TRACKING_LOCK}))`;
        const tracked = await tx.player.count({
          where: { isTracked: true, puuid: { not: identity.puuid } },
        });
        if (tracked >= maxTrackedPlayers) throw new TrackingLimitError(maxTrackedPlayers);
        const now = new Date();
        // An account lookup's Riot ID is current now: a stored game from before it must not undo it.
        const riotId =
          identity.gameName && identity.tagLine
            ? {
                gameName: identity.gameName,
                tagLine: identity.tagLine,
                riotId: formatRiotId(identity.gameName, identity.tagLine),
                summonerName: identity.gameName,
                riotIdObservedAt: now,
              }
            : {};
        const profile = {
          ...(identity.summonerLevel !== undefined && { summonerLevel: identity.summonerLevel }),
          ...(identity.profileIconId !== undefined && { profileIconId: identity.profileIconId }),
        };
        return tx.player.upsert({
          where: { puuid: identity.puuid },
          create: {
            puuid: identity.puuid,
            platform: identity.platform,
            ...riotId,
            ...profile,
            isTracked: true,
            trackedAt: now,
          },
          update: {
            ...riotId,
            ...profile,
            platform: identity.platform,
            isTracked: true,
            trackedAt: now,
          },
        });
      });
    },

    async untrack(puuid: string): Promise<Player> {
      checkPuuid(puuid);
      const rows = await prisma.player.updateManyAndReturn({
        where: { puuid },
        data: { isTracked: false },
      });
      const player = rows[0];
      if (!player) throw new PlayerNotFoundError(`No player with PUUID ${puuid}`);
      return player;
    },
  };
}

export type PlayerTracking = ReturnType<typeof createPlayerTracking>;

function riotIdOf(account: { gameName?: string | null; tagLine?: string | null }) {
  return { gameName: account.gameName ?? null, tagLine: account.tagLine ?? null };
}
