import { describe, expect, it } from 'vitest';
import { simulatedWorld } from '../../../src/riot/runtime.ts';
import { createWorld } from '../../../src/riot/simulator/world.ts';

describe("the app's simulated world", () => {
  it('plays fast until it reaches the real time, then keeps to it: no game ends in the future', () => {
    let real = 0;
    const world = createWorld({ ...simulatedWorld(), platforms: ['euw1'] }, () => real);
    const start = world.now();
    expect(start).toBeLessThan(Date.now() - 11 * 60 * 60 * 1000);
    real = 60_000; // a real minute: an hour of games
    expect(world.now() - start).toBeCloseTo(60 * 60 * 1000, -3);
    real = 24 * 60 * 60 * 1000; // a real day, far past the catch-up
    expect(world.now()).toBeLessThanOrEqual(Date.now());
    const ends = world
      .players()
      .flatMap((p) => world.matchIds(p.puuid) ?? [])
      .map((m) => m.gameEndTimestamp);
    expect(ends.length).toBeGreaterThan(0);
    expect(Math.max(...ends)).toBeLessThanOrEqual(Date.now());
  });
});
