import { describe, expect, it } from 'vitest';
import {
  abruptChangeFactor,
  championPoolOverlap,
  tierAbovePerformanceFactor,
} from '../../../src/detection/boosted.ts';
import { buildContext } from '../../../src/detection/context.ts';
import { duoDependenceFactor, topPartner } from '../../../src/detection/duo.ts';
import {
  analyzePlayer,
  type GameSample,
  isFlagged,
  type PlayerInput,
} from '../../../src/detection/index.ts';
import { feed, feedAt, games, player, stomp } from './helpers.ts';

const ctx = (input: PlayerInput) => buildContext(input);
const PARTNER = 'the-partner';
const withPartner = (over: Partial<GameSample>): Partial<GameSample> => ({
  ...over,
  teammates: [PARTNER, 'x', 'y', 'z'],
});

describe('tier above performance', () => {
  it('scores a DIAMOND player who plays like IRON', () => {
    const input = player(
      games(20, () => feedAt('DIAMOND'), 'DIAMOND'),
      { currentTier: 'DIAMOND' },
    );
    const f = tierAbovePerformanceFactor(ctx(input));
    expect(f.score).toBe(1);
    expect(f.explanation).toMatch(
      /^Ranked DIAMOND, plays closest to IRON; vs the DIAMOND baseline/,
    );
  });

  it('is 0 at the baseline and for a player above it', () => {
    expect(tierAbovePerformanceFactor(ctx(player(games(20)))).score).toBe(0);
    expect(tierAbovePerformanceFactor(ctx(player(games(20, stomp)))).score).toBe(0);
  });

  it('is 0 with no rank to be above: unranked, or IRON playing like IRON', () => {
    const weak = games(20, () => feedAt('IRON'), 'IRON');
    const unranked = tierAbovePerformanceFactor(ctx(player(weak, { currentTier: null })));
    expect(unranked.score).toBe(0);
    expect(unranked.explanation).toMatch(/^Unranked: no rank to be above/);
    const iron = tierAbovePerformanceFactor(ctx(player(weak, { currentTier: 'IRON' })));
    expect(iron.score).toBe(0);
    expect(iron.explanation).toMatch(/^Ranked IRON, plays closest to IRON/);
    // Neither is flagged as boosted on that evidence.
    for (const over of [{ currentTier: null }, { currentTier: 'IRON' as const }]) {
      const result = analyzePlayer(player(weak, over));
      expect(isFlagged(result, { boostedFlagScore: 0.5 }).boosted).toBe(false);
    }
  });
});

describe('duo dependence', () => {
  it('finds no partner among changing teammates', () => {
    const c = ctx(player(games(20)));
    expect(topPartner(c.games, 5)).toBeNull();
    const f = duoDependenceFactor(c, null);
    expect(f.score).toBe(0);
    expect(f.explanation).toMatch(/No recurring duo partner/);
  });

  it('cannot compare a partner who is in every game: 0, with the reason', () => {
    const c = ctx(player(games(20, () => withPartner({}))));
    const partner = topPartner(c.games, 5);
    expect(partner).toEqual({ puuid: PARTNER, games: 20 });
    const f = duoDependenceFactor(c, partner);
    expect(f.score).toBe(0);
    expect(f.explanation).toMatch(/20 of 20 games.*nothing to compare/);
  });

  it('scores winning and playing well only with the partner', () => {
    const list = games(20, (i) => (i % 2 ? withPartner(stomp()) : feed()));
    const c = ctx(player(list));
    const f = duoDependenceFactor(c, topPartner(c.games, 5));
    expect(f.score).toBe(1);
    expect(f.explanation).toMatch(/win rate 100% with vs 0% without/);
  });

  it('does not score doing as well without the partner', () => {
    const list = games(20, (i) => (i % 2 ? withPartner({ win: i % 4 === 1 }) : {}));
    const c = ctx(player(list));
    expect(duoDependenceFactor(c, topPartner(c.games, 5)).score).toBe(0);
  });

  it('reports the partner in the result', () => {
    const list = games(20, (i) => (i % 2 ? withPartner({}) : {}));
    expect(analyzePlayer(player(list)).boosted?.duoPartner).toBe(PARTNER);
    expect(analyzePlayer(player(games(20))).boosted?.duoPartner).toBeNull();
  });
});

describe('abrupt change', () => {
  it('is 0 for a steady player', () => {
    expect(abruptChangeFactor(ctx(player(games(20)))).score).toBe(0);
  });

  it('scores a switch to a new champion pool', () => {
    const list = games(20, (i) => ({ championId: i < 10 ? 1 + (i % 2) : 50 + (i % 2) }));
    const f = abruptChangeFactor(ctx(player(list)));
    expect(f.score).toBe(1);
    expect(f.explanation).toMatch(/champion pool overlap 0%/);
    const c = ctx(player(list));
    expect(championPoolOverlap(c.olderGames, c.olderGames)).toBeCloseTo(1, 12);
  });

  it('scores a step in play level, up or down', () => {
    const drop = abruptChangeFactor(ctx(player(games(20, (i) => (i < 10 ? stomp() : feed())))));
    const rise = abruptChangeFactor(ctx(player(games(20, (i) => (i < 10 ? {} : stomp())))));
    expect(drop.score).toBe(1);
    expect(rise.score).toBeGreaterThan(0.5);
  });

  it('needs five games in each half', () => {
    const f = abruptChangeFactor(buildContext(player(games(9, feed)), { minGames: 5 }));
    expect(f.score).toBe(0);
    expect(f.explanation).toMatch(/Too few games/);
  });
});

describe('boosted score', () => {
  it('flags a carried player who plays far below the tier', () => {
    const list = games(
      24,
      (i) => (i % 3 ? withPartner({ ...feedAt('EMERALD'), win: true }) : feedAt('EMERALD')),
      'EMERALD',
    );
    const result = analyzePlayer(player(list, { currentTier: 'EMERALD' }));
    expect(result.boosted?.score).toBeGreaterThanOrEqual(0.6);
    expect(isFlagged(result).boosted).toBe(true);
    expect(result.smurf?.score).toBeLessThan(0.1);
  });
});
