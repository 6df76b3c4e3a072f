import { type RankSnapshotSample, TIERS, type Tier } from './types.ts';

const DIVISIONS: Readonly<Record<string, number>> = { IV: 0, III: 1, II: 2, I: 3 };
const APEX_FLOOR = TIERS.indexOf('MASTER');

/** Index of a tier in TIERS (0 = IRON), or -1 when the text is not a tier. */
export function tierIndex(tier: string | null | undefined): number {
  return tier ? TIERS.indexOf(tier.toUpperCase() as Tier) : -1;
}

/**
 * A standing as one number: 400 points per tier, 100 per division, LP on top; apex tiers share
 * one ladder above Diamond I (their LP counts from the Master floor), as Riot ranks them.
 */
export function rankPoints(tier: string, rank: string, leaguePoints: number): number | null {
  const t = tierIndex(tier);
  if (t < 0) return null;
  const lp = Math.max(0, leaguePoints);
  if (t >= APEX_FLOOR) return APEX_FLOOR * 400 + lp;
  return t * 400 + (DIVISIONS[rank.toUpperCase()] ?? 0) * 100 + Math.min(lp, 100);
}

/** Number of divisions below a standing (apex tiers count as one step each above Diamond I). */
export function divisionStep(points: number, tier: number): number {
  return tier >= APEX_FLOOR ? APEX_FLOOR * 4 + (tier - APEX_FLOOR) : Math.floor(points / 100);
}

export type RankPoint = {
  at: number;
  tier: number;
  points: number;
  wins: number;
  losses: number;
};

/** Snapshots with a known tier as numbers, oldest first. */
export function rankTimeline(snapshots: readonly RankSnapshotSample[]): RankPoint[] {
  const out: RankPoint[] = [];
  for (const s of snapshots) {
    const points = rankPoints(s.tier, s.rank, s.leaguePoints);
    if (points === null) continue;
    out.push({
      at: s.capturedAt.getTime(),
      tier: tierIndex(s.tier),
      points,
      wins: s.wins,
      losses: s.losses,
    });
  }
  return out.sort((a, b) => a.at - b.at);
}

/**
 * The tier held at each time (times ascending): the latest snapshot at or before it, else the
 * earliest snapshot, else the fallback. One pass over both lists.
 */
export function tiersAt(
  times: readonly number[],
  timeline: readonly RankPoint[],
  fallback: number,
) {
  const out = new Array<number>(times.length);
  let j = -1;
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    while (j + 1 < timeline.length && (timeline[j + 1] as RankPoint).at <= t) j++;
    const point = timeline[Math.max(j, 0)];
    out[i] = point ? point.tier : fallback;
  }
  return out;
}
