import { describe, expect, it } from 'vitest';
import { parseRoute, playerHref } from '../../../src/dashboard/route.ts';

describe('routes', () => {
  it("a player's link leads back to that player", () => {
    const puuid = 'a/b c%d';
    expect(parseRoute(playerHref(puuid))).toEqual({ page: 'player', puuid });
  });

  it('no hash, or an empty one, is the overview', () => {
    for (const hash of ['', '#', '#/', '#//'])
      expect(parseRoute(hash)).toEqual({ page: 'overview' });
  });

  it('a trailing slash or a capitalised PLAYER is still the player', () => {
    expect(parseRoute('#/player/abc/')).toEqual({ page: 'player', puuid: 'abc' });
    expect(parseRoute('#/PLAYER/abc')).toEqual({ page: 'player', puuid: 'abc' });
  });

  it('an unknown or mangled link is no page, not the overview', () => {
    for (const hash of ['#/jobs', '#/player/', '#/player/a/b', '#/player/%E0%A4%A', '#x']) {
      expect(parseRoute(hash)).toEqual({ page: 'notFound', hash });
    }
  });
});
