import type { PrismaClient } from '../db/prisma.ts';
import type { JobEngine } from '../jobs/engine/index.ts';
import type { Logger } from '../logger.ts';
import { createPlayerTracking } from '../players/tracking.ts';
import type { RiotClient } from '../riot/client.ts';
import type { Platform } from '../riot/routing.ts';
import type { Simulator } from '../riot/simulator/index.ts';

/** How many simulated players a first start tracks (fewer when MAX_TRACKED_PLAYERS is lower). */
export const DEMO_PLAYERS = 5;

export type FirstStartDeps = {
  prisma: PrismaClient;
  riot: RiotClient;
  /** Null with a real Riot API: then nothing is tracked automatically. */
  simulator: Simulator | null;
  jobs: Pick<JobEngine, 'enqueue'>;
  maxTrackedPlayers: number;
  platform: Platform;
  logger: Logger;
};

export type FirstStartResult = { tracked: string[]; executionId: number } | null;

/**
 * On the built-in simulator, a database that tracks nobody yet gets a handful of the simulated
 * world's players (a smurf among them) tracked through the real use-case, and the updater runs at
 * once: a first start shows data instead of an empty system. Never fails the start.
 */
export async function trackDemoPlayersOnFirstStart(
  deps: FirstStartDeps,
): Promise<FirstStartResult> {
  const { prisma, simulator, logger } = deps;
  if (!simulator) return null;
  try {
    if ((await prisma.player.count({ where: { isTracked: true } })) > 0) return null;
    const picks = pickDemoPlayers(
      simulator,
      deps.platform,
      Math.min(DEMO_PLAYERS, deps.maxTrackedPlayers),
    );
    if (picks.length === 0) return null;
    const tracking = createPlayerTracking({
      prisma,
      riot: deps.riot,
      maxTrackedPlayers: deps.maxTrackedPlayers,
      defaultPlatform: deps.platform,
    });
    const tracked: Array<{ riotId: string | null; kind: string }> = [];
    for (const pick of picks) {
      const player = await tracking.track({ puuid: pick.puuid, platform: pick.platform });
      tracked.push({ riotId: player.riotId, kind: pick.kind });
    }
    const updater = await prisma.jobConfiguration.findFirst({
      where: { jobType: 'tracked_player_updater' },
      orderBy: { id: 'asc' },
    });
    if (!updater) throw new Error('no tracked_player_updater row in job_configurations');
    const executionId = await deps.jobs.enqueue(updater.id, 'manual');
    logger.info(
      { players: tracked, execution_id: executionId },
      'First start on the simulator: tracking simulated players, updater triggered',
    );
    return { tracked: tracked.map((p) => p.riotId ?? ''), executionId };
  } catch (error) {
    logger.warn({ err: error }, 'First start: could not track the simulated players');
    return null;
  }
}

type DemoPick = { puuid: string; platform: Platform; kind: string };

/**
 * Trackable players, those on `platform` first: the first smurf and boosted player (from another
 * platform when `platform` has none), then the first others.
 */
export function pickDemoPlayers(
  simulator: Simulator,
  platform: Platform,
  count: number,
): DemoPick[] {
  if (count <= 0) return [];
  const truth = new Map(simulator.groundTruth().players.map((p) => [p.puuid, p]));
  const all = simulator.world.trackable(Number.POSITIVE_INFINITY);
  const candidates = [
    ...all.filter((c) => c.platform === platform),
    ...all.filter((c) => c.platform !== platform),
  ];
  const first = (test: (puuid: string) => boolean) => candidates.find((c) => test(c.puuid));
  const chosen = [
    first((puuid) => truth.get(puuid)?.isSmurf === true),
    first((puuid) => truth.get(puuid)?.isBoosted === true),
  ].filter((c) => c !== undefined);
  for (const candidate of candidates) {
    if (chosen.length >= count) break;
    if (!chosen.includes(candidate)) chosen.push(candidate);
  }
  return chosen.slice(0, count).map((c) => ({
    puuid: c.puuid,
    platform: c.platform,
    kind: truth.get(c.puuid)?.label ?? c.kind,
  }));
}
