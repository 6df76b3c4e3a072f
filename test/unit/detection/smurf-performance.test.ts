import { describe, expect, it } from 'vitest';
import { buildContext } from '../../../src/detection/context.ts';
import type { GameSample, PlayerInput } from '../../../src/detection/index.ts';
import {
  consistencyFactor,
  kdaFactor,
  kdaScore,
  performanceTrendFactor,
  rankDiscrepancyFactor,
} from '../../../src/detection/smurf-performance.ts';
import { feed, games, player, stomp, stompAt } from './helpers.ts';

const ctx = (input: PlayerInput) => buildContext(input);

describe('rank discrepancy', () => {
  it('is 0 at the tier baseline and 1 far above it', () => {
    const baseline = rankDiscrepancyFactor(ctx(player(games(20))));
    expect(baseline.score).toBe(0);
    expect(baseline.explanation).toMatch(/the GOLD baseline/);
    const above = rankDiscrepancyFactor(ctx(player(games(20, stomp))));
    expect(above.score).toBe(1);
    expect(above.explanation).toMatch(/KDA 22\.0 vs 2\.5, win rate 100% vs 50%, CS\/min 8\.7/);
  });

  it('judges the same play against the tier held', () => {
    const list = games(20, (i) => (i % 3 ? stompAt('SILVER') : {}), 'SILVER');
    const atSilver = rankDiscrepancyFactor(ctx(player(list, { currentTier: 'SILVER' })));
    const atChallenger = rankDiscrepancyFactor(ctx(player(list, { currentTier: 'CHALLENGER' })));
    expect(atSilver.score).toBeGreaterThan(atChallenger.score);
    expect(atChallenger.explanation).toMatch(/CHALLENGER/);
  });

  it('compares an unranked player with the fallback tier and says so', () => {
    const f = rankDiscrepancyFactor(ctx(player(games(12), { currentTier: null })));
    expect(f.explanation).toMatch(/SILVER, unranked/);
  });
});

describe('KDA', () => {
  it('never divides by zero deaths', () => {
    const list = games(12, () => ({ kills: 9, deaths: 0, assists: 6 }));
    const f = kdaFactor(ctx(player(list)));
    expect(Number.isFinite(f.score)).toBe(true);
    expect(f.explanation).toMatch(/KDA 180\.00/);
    expect(kdaScore(15, 0)).toBeLessThanOrEqual(1);
  });

  it('is a smooth increasing curve: a slightly higher KDA never scores lower', () => {
    let previous = -1;
    for (let kda = 0; kda <= 12; kda += 0.01) {
      const score = kdaScore(kda, 2.5);
      expect(score).toBeGreaterThanOrEqual(previous);
      if (previous >= 0) expect(score - previous).toBeLessThan(0.02);
      previous = score;
    }
  });

  it('scores one half at 1.5 times the tier KDA and little at the baseline', () => {
    expect(kdaScore(3.75, 2.5)).toBeCloseTo(0.5, 10);
    expect(kdaScore(2.5, 2.5)).toBeLessThan(0.15);
    expect(kdaScore(7.5, 2.5)).toBeGreaterThan(0.95);
  });
});

describe('consistency', () => {
  it('counts the games at or above the tier in KDA and CS', () => {
    const all = consistencyFactor(ctx(player(games(20, stomp))));
    expect(all.score).toBe(1);
    expect(all.explanation).toMatch(/20 of 20 games/);
    // Both the KDA and the CS/min of the tier: ordinary players manage it in about a quarter.
    expect(all.explanation).toMatch(/about a quarter is typical\)$/);
    expect(consistencyFactor(ctx(player(games(20, feed)))).score).toBe(0);
    const half = consistencyFactor(ctx(player(games(20, (i) => (i % 2 ? stomp() : feed())))));
    expect(half.score).toBe(0);
  });

  it('does not hold low farm against support games', () => {
    const support = (): Partial<GameSample> => ({ ...stomp(), cs: 30, position: 'UTILITY' });
    expect(consistencyFactor(ctx(player(games(20, support)))).score).toBe(1);
  });
});

describe('performance trend', () => {
  const older = (i: number) => (i < 10 ? stomp() : {});
  const newer = (i: number) => (i < 10 ? {} : stomp());

  it('gives a decline nothing beyond the recent level', () => {
    const declining = performanceTrendFactor(ctx(player(games(20, older))));
    expect(declining.score).toBe(0);
  });

  it('counts outperformance held through both halves', () => {
    const sustained = performanceTrendFactor(ctx(player(games(20, stomp))));
    expect(sustained.score).toBeGreaterThan(0.6);
    expect(sustained.explanation).toMatch(/older 10 games \+3\.3 sd, recent 10 \+3\.3 sd/);
  });

  it('counts half of a rise', () => {
    const rising = performanceTrendFactor(ctx(player(games(20, newer))));
    const sustained = performanceTrendFactor(ctx(player(games(20, stomp))));
    expect(rising.score).toBeGreaterThan(0);
    expect(rising.score).toBeLessThan(sustained.score);
    expect(rising.explanation).toMatch(/older 10 games \+0\.0 sd, recent 10 \+/);
  });
});
