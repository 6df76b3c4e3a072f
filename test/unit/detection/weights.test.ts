import { describe, expect, it } from 'vitest';
import { smurfFactor, weightedScore } from '../../../src/detection/factor.ts';
import {
  analyzePlayer,
  BOOSTED_WEIGHTS,
  confidenceLabel,
  isFlagged,
  SMURF_WEIGHTS,
} from '../../../src/detection/index.ts';
import type { SmurfFactorKey } from '../../../src/detection/weights.ts';
import { games, player, stomp } from './helpers.ts';

const sum = (weights: Record<string, number>) => Object.values(weights).reduce((a, b) => a + b, 0);

describe('weights', () => {
  it('smurf weights are the nine agreed values and sum to 1', () => {
    expect(SMURF_WEIGHTS).toEqual({
      rankDiscrepancy: 0.2,
      winRate: 0.18,
      performanceTrend: 0.15,
      winRateTrend: 0.1,
      versatility: 0.09,
      rankProgression: 0.09,
      accountLevel: 0.08,
      consistency: 0.08,
      kda: 0.03,
    });
    expect(sum(SMURF_WEIGHTS)).toBeCloseTo(1, 12);
  });

  it('boosted weights sum to 1', () => {
    expect(sum(BOOSTED_WEIGHTS)).toBeCloseTo(1, 12);
  });

  it('every factor of a result carries its weight from the table, once', () => {
    const result = analyzePlayer(player(games(20, (i) => (i % 3 ? stomp() : {}))));
    const smurf = result.smurf?.factors ?? [];
    expect(smurf.map((f) => f.key).sort()).toEqual(Object.keys(SMURF_WEIGHTS).sort());
    for (const f of smurf)
      expect(f.weight).toBe(SMURF_WEIGHTS[f.key as keyof typeof SMURF_WEIGHTS]);
    const boosted = result.boosted?.factors ?? [];
    expect(boosted.map((f) => f.key).sort()).toEqual(Object.keys(BOOSTED_WEIGHTS).sort());
  });

  it('the score is the weighted sum of the factor scores', () => {
    const result = analyzePlayer(player(games(24, (i) => (i % 4 ? stomp() : {}))));
    for (const part of [result.smurf, result.boosted]) {
      expect(part).not.toBeNull();
      const factors = part?.factors ?? [];
      const expected = factors.reduce((s, f) => s + f.score * f.weight, 0);
      expect(part?.score).toBeCloseTo(expected, 9);
      for (const f of factors) {
        expect(f.score).toBeGreaterThanOrEqual(0);
        expect(f.score).toBeLessThanOrEqual(1);
        expect(f.explanation).not.toMatch(/\n|NaN|Infinity|undefined/);
      }
    }
    expect(result.smurf?.score).toBeGreaterThan(0.3);
  });
});

describe('confidenceLabel', () => {
  it('labels at exactly 0.4, 0.6 and 0.8', () => {
    expect(confidenceLabel(0.4)).toBe('low');
    expect(confidenceLabel(0.6)).toBe('medium');
    expect(confidenceLabel(0.8)).toBe('high');
  });

  it('labels just below each boundary with the lower label', () => {
    expect(confidenceLabel(0.3999)).toBe('none');
    expect(confidenceLabel(0.5999)).toBe('low');
    expect(confidenceLabel(0.7999)).toBe('medium');
    expect(confidenceLabel(0)).toBe('none');
    expect(confidenceLabel(1)).toBe('high');
  });

  it('gives full factors whose weights add up to a boundary exactly that boundary', () => {
    const full = (keys: SmurfFactorKey[]) =>
      weightedScore(
        (Object.keys(SMURF_WEIGHTS) as SmurfFactorKey[]).map((key) =>
          smurfFactor(key, keys.includes(key) ? 1 : 0, ''),
        ),
      );
    const half = full(['winRate', 'performanceTrend', 'versatility', 'accountLevel']);
    expect(half).toBe(0.5);
    const result = { ...analyzePlayer(player([])), status: 'ok' as const };
    const smurf = { score: half, confidence: confidenceLabel(half), factors: [] };
    expect(isFlagged({ ...result, smurf }, { smurfFlagScore: 0.5 }).smurf).toBe(true);
    const medium = full([
      'winRate',
      'performanceTrend',
      'winRateTrend',
      'versatility',
      'accountLevel',
    ]);
    expect(confidenceLabel(medium)).toBe('medium');
    const high = full([
      'rankDiscrepancy',
      'winRate',
      'performanceTrend',
      'winRateTrend',
      'versatility',
      'consistency',
    ]);
    expect(confidenceLabel(high)).toBe('high');
  });

  it('the result carries the label of its own score', () => {
    const result = analyzePlayer(player(games(20, stomp), { summonerLevel: 31 }));
    const smurf = result.smurf;
    expect(smurf && confidenceLabel(smurf.score)).toBe(smurf?.confidence);
  });
});
