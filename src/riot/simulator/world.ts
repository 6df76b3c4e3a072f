import type { Platform } from '../routing.ts';
import { rankOf } from './ladder.ts';
import { createRandom, hashSeed } from './random.ts';
import { applyResult, makeLobbies, playMatch, type SimMatch } from './world-matches.ts';
import {
  generatePlayers,
  type PlayerKind,
  riotIdAt,
  riotIdKey,
  type SimPlayer,
} from './world-players.ts';

export type WorldOptions = {
  seed?: number;
  platforms?: Platform[];
  playersPerPlatform?: number;
  /** Simulated minutes between two rounds of games (every game of a round ends inside it). */
  slotMinutes?: number;
  /** Rounds already played when the simulator starts. */
  historySlots?: number;
  /** Simulated ms per real ms; 60 = one simulated minute per real second. */
  speed?: number;
  /** Simulated epoch ms of "now" at start (default: the real time, floored to a slot). */
  presentMs?: number;
  /**
   * How far the simulated clock may run ahead of the real one (default: no bound). With 0 it
   * plays at `speed` until it reaches the real time, then keeps to it: no game ends in the future.
   */
  maxLeadMs?: number;
  /** Chance that a player plays in a given round. */
  playRate?: number;
};

export type TrackablePlayer = {
  puuid: string;
  gameName: string;
  tagLine: string;
  platform: Platform;
  kind: PlayerKind;
};

export type GroundTruth = {
  seed: number;
  players: Array<{
    puuid: string;
    platform: Platform;
    riotId: string;
    label: PlayerKind;
    isSmurf: boolean;
    isBoosted: boolean;
    trueSkill: number;
    duoPartner: string | null;
    renamedAt: number | null;
    deletedAt: number | null;
    leftLolAt: number | null;
  }>;
};

const GAME_VERSIONS = ['15.22.724.5161', '16.1.737.4870', '16.2.738.9684', '16.3.745.7600'];

export type World = ReturnType<typeof createWorld>;

export function createWorld(
  options: WorldOptions = {},
  realNow: () => number = () => performance.now(),
) {
  const seed = options.seed ?? 42;
  const slotMs = (options.slotMinutes ?? 40) * 60_000;
  const historySlots = options.historySlots ?? 60;
  const speed = options.speed ?? 60;
  const playRate = options.playRate ?? 0.6;
  const presentMs = options.presentMs ?? Math.floor(Date.now() / slotMs) * slotMs;
  const platforms = options.platforms ?? (['euw1', 'eun1', 'na1', 'kr', 'oc1'] as Platform[]);
  const originMs = presentMs - historySlots * slotMs;
  const realStart = realNow();
  let skippedMs = 0;

  const players: SimPlayer[] = [];
  const takenRiotIds = new Set<string>();
  for (const platform of platforms) {
    const random = createRandom(hashSeed(seed, 'players', platform));
    const plan = { presentMs, slotMs, historySlots };
    const count = options.playersPerPlatform ?? 30;
    players.push(...generatePlayers(random, platform, count, plan, takenRiotIds));
  }
  const byPuuid = new Map(players.map((p) => [p.puuid, p]));
  const matches = new Map<string, SimMatch>();
  const history = new Map<string, string[]>(); // puuid → match ids, oldest first
  const generated = new Map<Platform, number>(platforms.map((p) => [p, 0]));

  const now = () => {
    const t = presentMs + (realNow() - realStart) * speed + skippedMs;
    return options.maxLeadMs === undefined ? t : Math.min(t, Date.now() + options.maxLeadMs);
  };

  function playSlot(platform: Platform, slot: number): void {
    const random = createRandom(hashSeed(seed, 'slot', platform, slot));
    const start = originMs + slot * slotMs;
    const gone = (p: SimPlayer) =>
      (p.deletedAt ?? Infinity) <= start || (p.leftLolAt ?? Infinity) <= start;
    const here = players.filter((p) => p.platform === platform && !gone(p));
    const active = new Set(here.filter(() => random.chance(playRate)));
    // A boosted player only queues with their partner.
    for (const p of here)
      if (p.kind === 'boosted' && active.has(p) && p.duoPartner)
        active.add(byPuuid.get(p.duoPartner) as SimPlayer);
    makeLobbies(random, [...active]).forEach((lobby, i) => {
      const gameId = 7_000_000_000 + slot * 1000 + i * 10 + platforms.indexOf(platform);
      const queueId = random.chance(0.8) ? 420 : 400;
      const matchId = `${platform.toUpperCase()}_${gameId}`;
      const ctx = {
        random,
        matchId,
        gameId,
        platformId: platform.toUpperCase(),
        queueId,
        start: start + random.int(0, 4) * 60_000,
        gameVersion: GAME_VERSIONS[
          Math.min(
            GAME_VERSIONS.length - 1,
            Math.floor((slot / (historySlots + 1)) * GAME_VERSIONS.length),
          )
        ] as string,
      };
      const match = playMatch(ctx, lobby);
      matches.set(matchId, match);
      for (const part of match.participants) {
        const p = byPuuid.get(part.puuid) as SimPlayer;
        applyResult(p, part.win, queueId === 420, random);
        p.revisionDate = match.gameEndTimestamp;
        const list = history.get(p.puuid) ?? [];
        list.push(matchId);
        history.set(p.puuid, list);
      }
    });
  }

  /** Plays every round that has fully ended by the simulated now. */
  function catchUp(): number {
    const t = now();
    const due = Math.floor((t - originMs) / slotMs); // rounds whose slot has fully ended
    for (const platform of platforms) {
      for (let s = generated.get(platform) ?? 0; s < due; s++) playSlot(platform, s);
      generated.set(platform, Math.max(due, generated.get(platform) ?? 0));
    }
    return t;
  }
  catchUp();

  const exists = (p: SimPlayer | undefined, t: number) =>
    p !== undefined && (p.deletedAt ?? Infinity) > t;

  return {
    seed,
    now,
    /** Jumps simulated time forward (tests: "a few games later"). */
    advance(ms: number) {
      skippedMs += ms;
      catchUp();
    },
    slotMs,
    players: (): readonly SimPlayer[] => players,
    /** Players a test or demo can track: present, with a League profile, ranked. */
    trackable(count = 10, platform?: Platform): TrackablePlayer[] {
      const t = catchUp();
      return players
        .filter(
          (p) =>
            (!platform || p.platform === platform) &&
            p.deletedAt === null &&
            p.leftLolAt === null &&
            p.rename === null,
        )
        .slice(0, count)
        .map((p) => ({ puuid: p.puuid, ...riotIdAt(p, t), platform: p.platform, kind: p.kind }));
    },
    account(puuid: string) {
      const t = catchUp();
      const p = byPuuid.get(puuid);
      return exists(p, t) && p ? { puuid, ...riotIdAt(p, t) } : null;
    },
    accountByRiotId(gameName: string, tagLine: string) {
      const t = catchUp();
      const wanted = riotIdKey(gameName, tagLine);
      const p = players.find((x) => {
        const id = riotIdAt(x, t);
        return exists(x, t) && riotIdKey(id.gameName, id.tagLine) === wanted;
      });
      return p ? { puuid: p.puuid, ...riotIdAt(p, t) } : null;
    },
    summoner(platform: Platform, puuid: string) {
      const t = catchUp();
      const p = byPuuid.get(puuid);
      if (!p || !exists(p, t) || p.platform !== platform || (p.leftLolAt ?? Infinity) <= t)
        return null;
      return {
        puuid,
        profileIconId: p.profileIconId,
        revisionDate: p.revisionDate,
        summonerLevel: p.summonerLevel,
      };
    },
    leagueEntries(platform: Platform, puuid: string) {
      const t = catchUp();
      const p = byPuuid.get(puuid);
      if (!p || !exists(p, t) || p.platform !== platform || p.wins + p.losses === 0) return [];
      const rank = rankOf(p.ladder);
      const leagueId = `00000000-0000-4000-8000-${String(hashSeed(platform, rank.tier, rank.rank)).padStart(12, '0')}`;
      return [
        {
          leagueId,
          queueType: 'RANKED_SOLO_5x5',
          ...rank,
          puuid,
          wins: p.wins,
          losses: p.losses,
          veteran: p.wins + p.losses > 300,
          inactive: false,
          freshBlood: p.wins + p.losses < 20,
          hotStreak: false,
        },
      ];
    },
    /** Match ids newest first; undefined when the player is unknown. */
    matchIds(puuid: string): SimMatch[] | undefined {
      catchUp();
      if (!byPuuid.has(puuid)) return undefined;
      return (history.get(puuid) ?? []).map((id) => matches.get(id) as SimMatch).reverse();
    },
    match(matchId: string): SimMatch | undefined {
      catchUp();
      return matches.get(matchId);
    },
    matchCount: () => matches.size,
    groundTruth(): GroundTruth {
      return {
        seed,
        players: players.map((p) => ({
          puuid: p.puuid,
          platform: p.platform,
          riotId: `${p.gameName}#${p.tagLine}`,
          label: p.kind,
          isSmurf: p.kind === 'smurf',
          isBoosted: p.kind === 'boosted',
          trueSkill: p.trueSkill,
          duoPartner: p.duoPartner,
          renamedAt: p.rename?.at ?? null,
          deletedAt: p.deletedAt,
          leftLolAt: p.leftLolAt,
        })),
      };
    },
  };
}
