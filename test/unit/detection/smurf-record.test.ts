import { describe, expect, it } from 'vitest';
import { buildContext } from '../../../src/detection/context.ts';
import type { PlayerInput } from '../../../src/detection/index.ts';
import {
  accountLevelFactor,
  accountLevelScore,
  versatilityFactor,
} from '../../../src/detection/smurf-account.ts';
import {
  winRateFactor,
  winRateLowerBound,
  winRateTrendFactor,
} from '../../../src/detection/smurf-record.ts';
import { feed, games, player, stomp } from './helpers.ts';

const ctx = (input: PlayerInput) => buildContext(input);
const record = (n: number, won: (i: number) => boolean) =>
  player(games(n, (i) => ({ win: won(i) })));

describe('win rate', () => {
  it('is 0 at or below the expected 50%', () => {
    expect(winRateFactor(ctx(record(20, (i) => i % 2 === 0))).score).toBe(0);
    expect(winRateFactor(ctx(record(20, () => false))).score).toBe(0);
  });

  it('is 1 for a long unbeaten record and says what it compared', () => {
    const f = winRateFactor(ctx(record(23, () => true)));
    expect(f.score).toBe(1);
    expect(f.explanation).toMatch(/^Win rate 100% over 23 games .* vs 50% expected at GOLD$/);
  });

  it('claims less from a small sample than from a large one at the same rate', () => {
    const small = winRateFactor(ctx(record(10, (i) => i % 10 < 7))).score;
    const large = winRateFactor(ctx(record(40, (i) => i % 10 < 7))).score;
    expect(small).toBeLessThan(large);
    expect(winRateLowerBound(10, 10)).toBeLessThan(1);
    expect(winRateLowerBound(0, 0)).toBe(0);
  });
});

describe('win-rate trend', () => {
  it('scores a decline 0, however steep', () => {
    const f = winRateTrendFactor(ctx(record(20, (i) => i < 10)));
    expect(f.score).toBe(0);
    expect(f.explanation).toMatch(/fell \(not evidence\) from 100% .* to 0%/);
  });

  it('scores 0 for a decline that is still a winning record', () => {
    const f = winRateTrendFactor(ctx(record(20, (i) => i < 10 || i % 10 < 7)));
    expect(f.explanation).toMatch(/fell \(not evidence\) from 100% .* to 70%/);
    expect(f.score).toBe(0);
  });

  it('scores a rise into a winning record', () => {
    const f = winRateTrendFactor(ctx(record(20, (i) => i >= 10 || i % 2 === 0)));
    expect(f.score).toBe(1);
    expect(f.explanation).toMatch(/rose from 50% in the older 10 games to 100% in the recent 10/);
  });

  it('does not score a rise that stays a losing record', () => {
    const f = winRateTrendFactor(ctx(record(20, (i) => (i < 10 ? false : i % 5 < 2))));
    expect(f.score).toBe(0);
  });
});

describe('account level', () => {
  it('is 1 up to level 35, 0 from level 110, and decreasing between', () => {
    expect(accountLevelScore(30)).toBe(1);
    expect(accountLevelScore(35)).toBe(1);
    expect(accountLevelScore(110)).toBe(0);
    expect(accountLevelScore(900)).toBe(0);
    let previous = 2;
    for (let level = 30; level <= 120; level++) {
      const score = accountLevelScore(level);
      expect(score).toBeLessThanOrEqual(previous);
      previous = score;
    }
    expect(accountLevelScore(50)).toBeGreaterThan(0.7);
  });

  it('uses the newest game level when the account level is unknown, else scores 0', () => {
    const list = games(12, (i) => ({ summonerLevel: 30 + i }));
    expect(accountLevelFactor(ctx(player(list, { summonerLevel: null }))).explanation).toMatch(
      /Account level 41/,
    );
    const unknown = games(12, () => ({ summonerLevel: null }));
    const f = accountLevelFactor(ctx(player(unknown, { summonerLevel: null })));
    expect(f.score).toBe(0);
    expect(f.explanation).toBe('Account level unknown');
  });
});

describe('versatility', () => {
  it('is 0 for a one-trick, however strong', () => {
    const f = versatilityFactor(ctx(player(games(20, () => ({ ...stomp(), championId: 7 })))));
    expect(f.score).toBe(0);
  });

  it('scores many champions and roles played well', () => {
    const roles = ['TOP', 'JUNGLE', 'MIDDLE', 'BOTTOM'] as const;
    const list = games(20, (i) => ({ ...stomp(), championId: i, position: roles[i % 4] }));
    const f = versatilityFactor(ctx(player(list)));
    expect(f.score).toBe(1);
    expect(f.explanation).toMatch(/^20 champions over 4 roles/);
  });

  it('does not score many champions played badly', () => {
    const list = games(20, (i) => ({ ...feed(), championId: i }));
    expect(versatilityFactor(ctx(player(list))).score).toBe(0);
  });
});
