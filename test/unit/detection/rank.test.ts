import { describe, expect, it } from 'vitest';
import { buildContext } from '../../../src/detection/context.ts';
import { rankPoints, rankTimeline, tierIndex, tiersAt } from '../../../src/detection/rank.ts';
import { games, player, snapshot } from './helpers.ts';

describe('rank helpers', () => {
  it('turns a standing into points: 400 per tier, 100 per division, LP on top', () => {
    expect(rankPoints('IRON', 'IV', 0)).toBe(0);
    expect(rankPoints('GOLD', 'II', 50)).toBe(3 * 400 + 2 * 100 + 50);
    expect(rankPoints('gold', 'ii', 50)).toBe(1450);
    expect(rankPoints('MASTER', 'I', 120)).toBe(2920);
    expect(rankPoints('CHALLENGER', 'I', 1200)).toBe(4000);
    expect(rankPoints('UNRANKED', 'I', 0)).toBeNull();
    expect(tierIndex(null)).toBe(-1);
  });

  it('ignores snapshots with an unknown tier and sorts the rest', () => {
    const timeline = rankTimeline([
      snapshot(5, 'GOLD', 'I', 0, 3, 1),
      snapshot(1, 'SILVER', 'I', 0, 1, 1),
      snapshot(3, 'NONE', 'I', 0, 2, 1),
    ]);
    expect(timeline.map((p) => p.tier)).toEqual([2, 3]);
  });

  it('finds the tier held at each time, the earliest before any snapshot', () => {
    const timeline = rankTimeline([
      snapshot(10, 'SILVER', 'I', 0, 0, 0),
      snapshot(20, 'GOLD', 'IV', 0, 0, 0),
    ]);
    const hour = (h: number) => Date.UTC(2026, 0, 1) + h * 3_600_000;
    expect(tiersAt([hour(0), hour(10), hour(15), hour(25)], timeline, 9)).toEqual([2, 2, 2, 3]);
    expect(tiersAt([hour(0)], [], 4)).toEqual([4]);
  });

  it('compares each game with the tier held at its time', () => {
    const snapshots = [
      snapshot(0, 'BRONZE', 'I', 0, 0, 0),
      snapshot(10, 'DIAMOND', 'IV', 0, 10, 0),
    ];
    const c = buildContext(player(games(20), { currentTier: 'DIAMOND', snapshots }));
    expect(c.games.map((g) => g.tier)).toEqual([...Array(10).fill(1), ...Array(10).fill(6)]);
  });
});
