import { describe, expect, it } from 'vitest';
import {
  ALGORITHM_VERSION,
  analyzePlayer,
  DEFAULT_SETTINGS,
  isFlagged,
} from '../../../src/detection/index.ts';
import { feed, game, games, player, stomp } from './helpers.ts';

describe('analyzePlayer', () => {
  it('reports insufficient data, never a score, under minGames', () => {
    for (const n of [0, 1, 9]) {
      const result = analyzePlayer(player(games(n, stomp)));
      expect(result).toEqual({
        status: 'insufficient_data',
        algorithmVersion: ALGORITHM_VERSION,
        gamesAnalyzed: n,
        smurf: null,
        boosted: null,
      });
    }
  });

  it('analyses from exactly minGames eligible games', () => {
    const result = analyzePlayer(player(games(DEFAULT_SETTINGS.minGames)));
    expect(result.status).toBe('ok');
    expect(result.gamesAnalyzed).toBe(10);
    expect(analyzePlayer(player(games(12)), { minGames: 13 }).status).toBe('insufficient_data');
  });

  it('does not count remakes, early surrenders or very short games towards minGames', () => {
    const list = [
      ...games(9),
      game(20, 'GOLD', { remake: true }),
      game(21, 'GOLD', { earlySurrender: true }),
      game(22, 'GOLD', { durationSeconds: 200 }),
    ];
    const result = analyzePlayer(player(list));
    expect(result.status).toBe('insufficient_data');
    expect(result.gamesAnalyzed).toBe(9);
  });

  it('leaves every factor unchanged when remakes are added', () => {
    const base = games(16, (i) => (i % 2 ? stomp() : {}));
    const remakes = [
      ...games(4, () => ({ ...stomp(), remake: true, championId: 99 }), 'GOLD', 100),
      ...games(4, () => ({ ...feed(), earlySurrender: true, championId: 98 }), 'GOLD', 200),
    ];
    const clean = analyzePlayer(player(base));
    const mixed = analyzePlayer(player([...base, ...remakes]));
    expect(mixed.gamesAnalyzed).toBe(16);
    expect(mixed.smurf).toEqual(clean.smurf);
    expect(mixed.boosted).toEqual(clean.boosted);
  });

  it('reads games in any order', () => {
    const list = games(20, (i) => (i < 10 ? {} : stomp()));
    const oldestFirst = analyzePlayer(player(list));
    const newestFirst = analyzePlayer(player([...list].reverse()));
    expect(newestFirst).toEqual(oldestFirst);
  });

  it('keeps only the configured queues', () => {
    const list = [...games(10), ...games(5, () => ({ queueId: 400 }), 'GOLD', 50)];
    expect(analyzePlayer(player(list)).gamesAnalyzed).toBe(15);
    expect(analyzePlayer(player(list), { queueIds: [420] }).gamesAnalyzed).toBe(10);
  });

  it('scores a dominant young account far above a baseline one', () => {
    const smurf = analyzePlayer(player(games(25, stomp), { summonerLevel: 32 }));
    const honest = analyzePlayer(player(games(25)));
    expect(smurf.smurf?.score).toBeGreaterThanOrEqual(0.6);
    expect(honest.smurf?.score).toBeLessThan(0.2);
    expect(isFlagged(smurf)).toEqual({ smurf: true, boosted: false });
    expect(isFlagged(honest)).toEqual({ smurf: false, boosted: false });
  });

  it('takes well under a millisecond per 50-game player', () => {
    const inputs = Array.from({ length: 50 }, (_, k) =>
      player(games(50, (i) => ((i + k) % 3 ? stomp() : feed()))),
    );
    for (const input of inputs) analyzePlayer(input);
    const started = performance.now();
    const rounds = 10;
    for (let r = 0; r < rounds; r++) for (const input of inputs) analyzePlayer(input);
    const perPlayer = (performance.now() - started) / (rounds * inputs.length);
    expect(perPlayer).toBeLessThan(1);
  });
});
