import { describe, expect, it } from 'vitest';
import { blockedSecondsLeft } from '../../../src/dashboard/components/rate-limits-panel.ts';
import { duration } from '../../../src/dashboard/format.ts';
import { parseRoute, playerHref } from '../../../src/dashboard/route.ts';

describe('duration', () => {
  it.each([
    [0.84, '0.8 s'],
    [59.94, '59.9 s'],
    [59.97, '1 min 00 s'],
    [65, '1 min 05 s'],
    [119.6, '2 min 00 s'],
    [3600, '60 min 00 s'],
  ])('%f s is %s', (seconds, written) => {
    expect(duration(seconds)).toBe(written);
  });

  it('no duration is a dash', () => {
    expect(duration(null)).toBe('—');
  });
});

describe('routes', () => {
  it("a player's link leads back to that player", () => {
    const puuid = 'a/b c%d';
    expect(parseRoute(playerHref(puuid))).toEqual({ page: 'player', puuid });
  });

  it('a mangled link is the overview, not an error', () => {
    expect(parseRoute('#/player/%E0%A4%A')).toEqual({ page: 'overview' });
    expect(parseRoute('#/elsewhere')).toEqual({ page: 'overview' });
  });
});

describe('a 429 block', () => {
  const usage = (blockedForSeconds: number | null) => ({
    routing: 'euw1',
    queued: 0,
    blockedForSeconds,
    at: '2026-11-29T10:00:00.000Z',
    windows: [],
  });
  const at = Date.parse('2026-11-29T10:00:00.000Z');

  it('counts down from the time the usage was read, and is over after', () => {
    expect(blockedSecondsLeft(usage(12), at)).toBe(12);
    expect(blockedSecondsLeft(usage(12), at + 4_500)).toBe(8);
    expect(blockedSecondsLeft(usage(12), at + 12_000)).toBe(0);
    expect(blockedSecondsLeft(usage(null), at)).toBe(0);
  });
});
