import { clamp, kdaOf } from './math.ts';
import { type Baselines, type GameSample, type MetricValues, TIERS, type Tier } from './types.ts';

/** One eligible game with the values every factor reads. */
export type PreparedGame = {
  sample: GameSample;
  minutes: number;
  kda: number;
  csPerMin: number;
  support: boolean;
  /** Index of the tier held at the time of the game. */
  tier: number;
  base: MetricValues;
  /** KDA at least the tier's, and CS per minute too unless the player supported. */
  strong: boolean;
};

export type MetricZ = { [K in keyof MetricValues]: number | null };

/** Averages of a set of games next to the averages their tiers would predict. */
export type PerformanceSummary = {
  games: number;
  wins: number;
  actual: MetricValues;
  expected: MetricValues;
  /** Standard scores against the expectation, capped at ±5; null when no game measures it. */
  z: MetricZ;
};

const Z_CAP = 5;

export function prepareGame(sample: GameSample, tier: number, baselines: Baselines): PreparedGame {
  const minutes = Math.max(sample.durationSeconds, 1) / 60;
  const base = baselines.byTier[TIERS[tier] ?? 'IRON'];
  const kda = kdaOf(sample.kills, sample.deaths, sample.assists);
  const csPerMin = sample.cs / minutes;
  const support = sample.position === 'UTILITY';
  const strong = kda >= base.kda && (support || csPerMin >= base.csPerMin);
  return { sample, minutes, kda, csPerMin, support, tier, base, strong };
}

export function summarize(
  games: readonly PreparedGame[],
  baselines: Baselines,
): PerformanceSummary {
  let wins = 0;
  let kills = 0;
  let deaths = 0;
  let assists = 0;
  let logBaseKda = 0;
  let baseWin = 0;
  let cs = 0;
  let csMinutes = 0;
  let baseCs = 0;
  let csGames = 0;
  let kp = 0;
  let baseKp = 0;
  let kpGames = 0;
  let vision = 0;
  let minutes = 0;
  let baseVision = 0;
  for (const g of games) {
    const s = g.sample;
    if (s.win) wins++;
    kills += s.kills;
    deaths += s.deaths;
    assists += s.assists;
    logBaseKda += Math.log(g.base.kda);
    baseWin += g.base.winRate;
    vision += s.visionScore;
    minutes += g.minutes;
    baseVision += g.base.visionPerMin;
    if (!g.support) {
      cs += s.cs;
      csMinutes += g.minutes;
      baseCs += g.base.csPerMin;
      csGames++;
    }
    if (s.killParticipation !== null) {
      kp += s.killParticipation;
      baseKp += g.base.killParticipation;
      kpGames++;
    }
  }
  const n = games.length;
  const actual: MetricValues = {
    kda: kdaOf(kills, deaths, assists),
    winRate: n ? wins / n : 0,
    csPerMin: csMinutes ? cs / csMinutes : 0,
    killParticipation: kpGames ? kp / kpGames : 0,
    visionPerMin: minutes ? vision / minutes : 0,
  };
  const expected: MetricValues = {
    kda: n ? Math.exp(logBaseKda / n) : 0,
    winRate: n ? baseWin / n : 0,
    csPerMin: csGames ? baseCs / csGames : 0,
    killParticipation: kpGames ? baseKp / kpGames : 0,
    visionPerMin: n ? baseVision / n : 0,
  };
  const sd = baselines.spread;
  const z = (diff: number, spread: number) => clamp(diff / spread, -Z_CAP, Z_CAP);
  return {
    games: n,
    wins,
    actual,
    expected,
    z: {
      kda: n ? z(Math.log(actual.kda / expected.kda), sd.kda) : null,
      winRate: n ? z(actual.winRate - expected.winRate, sd.winRate) : null,
      csPerMin: csGames ? z(actual.csPerMin - expected.csPerMin, sd.csPerMin) : null,
      killParticipation: kpGames
        ? z(actual.killParticipation - expected.killParticipation, sd.killParticipation)
        : null,
      visionPerMin: n ? z(actual.visionPerMin - expected.visionPerMin, sd.visionPerMin) : null,
    },
  };
}

export type CompositeWeights = Partial<Record<keyof MetricValues, number>>;

/** Outcome-and-skill blend the rank discrepancy is about. */
export const CORE_WEIGHTS: CompositeWeights = { kda: 1 / 3, winRate: 1 / 3, csPerMin: 1 / 3 };
/** Individual play only (no win rate): what a player brings whoever they queue with. */
export const PLAY_WEIGHTS: CompositeWeights = {
  kda: 0.35,
  csPerMin: 0.35,
  killParticipation: 0.15,
  visionPerMin: 0.15,
};

/** Weighted mean of the available standard scores (weights renormalised over those present). */
export function composite(z: MetricZ, weights: CompositeWeights): number {
  let sum = 0;
  let total = 0;
  for (const key in weights) {
    const w = weights[key as keyof MetricValues] ?? 0;
    const value = z[key as keyof MetricValues];
    if (value === null || w <= 0) continue;
    sum += w * value;
    total += w;
  }
  return total ? sum / total : 0;
}

/** The tier whose baseline the player's individual play is nearest to. */
export function closestTier(summary: PerformanceSummary, baselines: Baselines): Tier {
  const { actual, z } = summary;
  const { byTier, spread } = baselines;
  let best: Tier = 'IRON';
  let bestDistance = Infinity;
  for (const tier of TIERS) {
    const b = byTier[tier];
    const d = (key: keyof MetricValues, diff: number) =>
      z[key] === null ? 0 : (PLAY_WEIGHTS[key] ?? 0) * (diff / spread[key]) ** 2;
    const distance =
      d('kda', Math.log(Math.max(actual.kda, 0.01) / b.kda)) +
      d('csPerMin', actual.csPerMin - b.csPerMin) +
      d('killParticipation', actual.killParticipation - b.killParticipation) +
      d('visionPerMin', actual.visionPerMin - b.visionPerMin);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = tier;
    }
  }
  return best;
}
