import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickDemoPlayers } from '../../../src/demo/first-start.ts';
import { type Simulator, startSimulator } from '../../../src/riot/simulator/index.ts';

describe('pickDemoPlayers', () => {
  let simulator: Simulator;
  beforeAll(async () => {
    simulator = await startSimulator({ seed: 7 });
  });
  afterAll(() => simulator.stop());

  it('starts with a smurf and a boosted player, then fills up with trackable others', () => {
    const picks = pickDemoPlayers(simulator, 'euw1', 5);
    expect(picks).toHaveLength(5);
    expect(picks.slice(0, 2).map((p) => p.kind)).toEqual(['smurf', 'boosted']);
    expect(new Set(picks.map((p) => p.puuid)).size).toBe(5);
    const trackable = new Set(simulator.world.trackable(1000, 'euw1').map((p) => p.puuid));
    for (const pick of picks) {
      expect(pick.platform).toBe('euw1');
      expect(trackable.has(pick.puuid)).toBe(true);
    }
  });

  it('takes the smurf from another platform when the default one has no trackable smurf', () => {
    const onKr = simulator.world.trackable(1000, 'kr');
    const truth = new Map(simulator.groundTruth().players.map((p) => [p.puuid, p]));
    expect(onKr.some((p) => truth.get(p.puuid)?.isSmurf)).toBe(false); // this world: none on kr
    const picks = pickDemoPlayers(simulator, 'kr', 5);
    const smurf = picks.find((p) => p.kind === 'smurf');
    expect(smurf?.platform).toBeDefined();
    expect(smurf?.platform).not.toBe('kr');
    expect(picks.filter((p) => p.platform === 'kr').length).toBeGreaterThanOrEqual(3);
  });

  it('keeps the smurf when only one player may be tracked, and picks none for zero', () => {
    expect(pickDemoPlayers(simulator, 'euw1', 1).map((p) => p.kind)).toEqual(['smurf']);
    expect(pickDemoPlayers(simulator, 'euw1', 0)).toEqual([]);
  });
});
