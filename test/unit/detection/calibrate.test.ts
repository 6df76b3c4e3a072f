import { describe, expect, it } from 'vitest';
import { calibrateBaselines, DEFAULT_BASELINES } from '../../../src/detection/index.ts';
import { games, player } from './helpers.ts';

/** GOLD players farming 8 + k/10 CS per minute, 30-minute games. */
const golds = Array.from({ length: 21 }, (_, k) =>
  player(games(12, () => ({ cs: (8 + k / 10) * 30 }))),
);

describe('calibrateBaselines', () => {
  it('takes each tier value from the median player and the spread from their deviations', () => {
    const b = calibrateBaselines(golds);
    expect(b.byTier.GOLD.csPerMin).toBeCloseTo(9, 10);
    expect(b.spread.csPerMin).toBeCloseTo(1.4826 * 0.5, 10);
    expect(b.byTier.GOLD.winRate).toBe(0.5);
    expect(b.source).toBe('calibrated on 21 players');
  });

  it('shifts tiers without enough players by the nearest calibrated tier', () => {
    const b = calibrateBaselines(golds);
    const shift = 9 - DEFAULT_BASELINES.byTier.GOLD.csPerMin;
    expect(b.byTier.IRON.csPerMin).toBeCloseTo(DEFAULT_BASELINES.byTier.IRON.csPerMin + shift, 10);
    expect(b.byTier.CHALLENGER.kda).toBeCloseTo(DEFAULT_BASELINES.byTier.CHALLENGER.kda, 1);
  });

  it('keeps the fallback with too few players', () => {
    expect(calibrateBaselines(golds.slice(0, 3)).byTier).toEqual(DEFAULT_BASELINES.byTier);
  });
});
