import { describe, expect, it } from 'vitest';
import { createWorld } from '../../../src/riot/simulator/world.ts';

describe('simulated world Riot IDs', () => {
  it('gives every player, old names and new, a Riot ID of their own, found by lookup', () => {
    const world = createWorld({ seed: 42, playersPerPlatform: 100 });
    const ids = world
      .players()
      .flatMap((p) => [p, ...(p.rename ? [p.rename] : [])])
      .map((id) => `${id.gameName.normalize('NFC').toLowerCase()}#${id.tagLine.toLowerCase()}`);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of world.players()) {
      if (p.rename || p.deletedAt) continue;
      expect(world.accountByRiotId(p.gameName, p.tagLine)?.puuid).toBe(p.puuid);
    }
  });

  it('stays the same world for a seed', () => {
    const names = () =>
      createWorld({ seed: 42, playersPerPlatform: 100 })
        .players()
        .map((p) => `${p.gameName}#${p.tagLine}`);
    expect(names()).toEqual(names());
  });
});
