import { describe, expect, it } from 'vitest';
import { calibratedTag } from '../../../src/analysis/baselines.ts';
import { DEFAULT_BASELINES } from '../../../src/detection/index.ts';

describe('calibratedTag', () => {
  it('tells two calibrations on a full sample apart, and names the same table the same', () => {
    const gold = DEFAULT_BASELINES.byTier.GOLD;
    const moved = {
      ...DEFAULT_BASELINES,
      byTier: { ...DEFAULT_BASELINES.byTier, GOLD: { ...gold, winRate: gold.winRate + 0.01 } },
    };
    const tag = calibratedTag(400, DEFAULT_BASELINES);
    expect(tag).toMatch(/^calibrated-400-[0-9a-f]{8}$/);
    expect(calibratedTag(400, structuredClone(DEFAULT_BASELINES))).toBe(tag);
    expect(calibratedTag(400, moved)).not.toBe(tag);
  });
});
