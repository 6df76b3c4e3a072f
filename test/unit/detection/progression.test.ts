import { describe, expect, it } from 'vitest';
import { buildContext } from '../../../src/detection/context.ts';
import type { RankSnapshotSample } from '../../../src/detection/index.ts';
import { lpPerWin, rankProgressionFactor } from '../../../src/detection/smurf-progression.ts';
import { games, player, snapshot } from './helpers.ts';

const progression = (snapshots: RankSnapshotSample[]) =>
  rankProgressionFactor(buildContext(player(games(20), { snapshots })));

/** One snapshot per game from `start` rank points, +gain on a win and -loss on a loss. */
function ladder(start: number, results: boolean[], gain: number, loss: number) {
  const tiers = ['IRON', 'BRONZE', 'SILVER', 'GOLD', 'PLATINUM', 'EMERALD', 'DIAMOND'];
  const divisions = ['IV', 'III', 'II', 'I'];
  let points = start;
  let wins = 0;
  let losses = 0;
  const at = (h: number) =>
    snapshot(
      h,
      tiers[Math.floor(points / 400)] as string,
      divisions[Math.floor((points % 400) / 100)] as string,
      points % 100,
      wins,
      losses,
    );
  const out = [at(0)];
  results.forEach((won, h) => {
    if (won) wins++;
    else losses++;
    points += won ? gain : -loss;
    out.push(at(h + 1));
  });
  return out;
}

describe('rank progression', () => {
  it('is 0 without two snapshots', () => {
    expect(progression([]).score).toBe(0);
    const one = progression([snapshot(0, 'GOLD', 'II', 10, 5, 5)]);
    expect(one.score).toBe(0);
    expect(one.explanation).toMatch(/1 rank snapshot/);
  });

  it('does not count demotions as evidence', () => {
    const falling = progression(ladder(1700, Array(12).fill(false), 20, 20));
    expect(falling.score).toBe(0);
    expect(falling.explanation).toMatch(/^0 division\(s\) climbed/);
  });

  it('scores a fast climb with large LP gains', () => {
    const f = progression(ladder(400, Array(20).fill(true), 45, 10));
    expect(f.score).toBe(1);
    expect(f.explanation).toMatch(
      /^9 division\(s\) climbed this season \(BRONZE → peak GOLD\).*45 LP per win/,
    );
  });

  it('keeps the promotions of a climb that later fell back', () => {
    const results = [...Array(10).fill(true), ...Array(10).fill(false)];
    const climbOnly = progression(ladder(800, results.slice(0, 10), 30, 30));
    const climbThenFall = progression(ladder(800, results, 30, 30));
    expect(climbThenFall.explanation).toMatch(/^3 division\(s\) climbed/);
    expect(climbOnly.explanation).toMatch(/^3 division\(s\) climbed/);
    expect(climbThenFall.score).toBeGreaterThan(0);
  });

  it('scores an even record at ordinary gains near 0', () => {
    const results = Array.from({ length: 30 }, (_, i) => i % 2 === 0);
    expect(progression(ladder(1500, results, 20, 20)).score).toBeLessThan(0.1);
  });

  it('measures the climb within the current season, after the last ladder reset', () => {
    const climb = ladder(800, Array(20).fill(true), 45, 10);
    const afterReset = progression([snapshot(-200, 'DIAMOND', 'IV', 0, 100, 90), ...climb]);
    expect(afterReset.score).toBe(1);
    expect(afterReset.explanation).toMatch(
      /^9 division\(s\) climbed this season \(SILVER → peak PLATINUM\), 900 LP over 20 games/,
    );
  });

  it("does not count a past season's games or climb", () => {
    const seasons = [
      snapshot(-500, 'SILVER', 'IV', 0, 10, 10),
      snapshot(-100, 'GOLD', 'IV', 0, 70, 50),
      snapshot(-1, 'GOLD', 'IV', 0, 1, 0),
      snapshot(25, 'GOLD', 'IV', 50, 11, 9),
    ];
    expect(progression(seasons).explanation).toMatch(/^0 division\(s\).*50 LP over 19 games/);
    const justReset = [
      snapshot(0, 'GOLD', 'IV', 0, 40, 40),
      snapshot(19.5, 'PLATINUM', 'IV', 0, 1, 0),
    ];
    expect(progression(justReset).explanation).toMatch(/1 rank snapshot\(s\) this season/);
  });

  it('reads LP per win only from snapshot intervals holding wins alone', () => {
    expect(lpPerWin([])).toBeNull();
    const points = (wins: number, losses: number, p: number) => ({
      at: 0,
      tier: 3,
      points: p,
      wins,
      losses,
    });
    expect(
      lpPerWin([points(0, 0, 1200), points(2, 0, 1260), points(2, 1, 1240), points(3, 1, 1270)]),
    ).toBe(30);
    expect(lpPerWin([points(0, 0, 1200), points(2, 1, 1240)])).toBeNull();
  });
});
