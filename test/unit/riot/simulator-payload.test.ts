import { describe, expect, it } from 'vitest';
import { MatchDto } from '../../../src/riot/schemas.ts';
import { matchPayload } from '../../../src/riot/simulator/match-payload.ts';
import { createWorld } from '../../../src/riot/simulator/world.ts';

type Participant = {
  teamId: number;
  kills: number;
  deaths: number;
  assists: number;
  totalDamageDealtToChampions: number;
  totalDamageTaken: number;
  wardsPlaced: number;
  challenges: Record<string, number>;
};

function someMatch() {
  const world = createWorld({ seed: 42 });
  const puuid = world.players()[0]?.puuid ?? '';
  const id = world.matchIds(puuid)?.[0]?.matchId ?? '';
  const match = world.match(id);
  if (!match) throw new Error('no match');
  return matchPayload(match);
}

describe('simulated match payloads', () => {
  it('parse with the client schema', () => {
    expect(MatchDto.safeParse(someMatch()).success).toBe(true);
  });

  it('derive each player’s challenges and stats from their own K/D/A, damage and vision', () => {
    const payload = someMatch() as { info: { participants: Participant[]; gameDuration: number } };
    const ps = payload.info.participants;
    const minutes = payload.info.gameDuration / 60;
    for (const p of ps) {
      const teamKills = ps.filter((q) => q.teamId === p.teamId).reduce((n, q) => n + q.kills, 0);
      expect(p.challenges.kda).toBeCloseTo((p.kills + p.assists) / Math.max(1, p.deaths));
      expect(p.challenges.killParticipation).toBeCloseTo((p.kills + p.assists) / teamKills);
      expect(p.challenges.damagePerMinute).toBeCloseTo(p.totalDamageDealtToChampions / minutes);
      expect(p.challenges.soloKills ?? 0).toBeLessThanOrEqual(p.kills);
    }
    for (const key of ['totalDamageTaken', 'wardsPlaced'] as const) {
      expect(new Set(ps.map((p) => p[key])).size).toBeGreaterThan(1);
    }
    expect(new Set(ps.map((p) => p.challenges.soloKills)).size).toBeGreaterThan(1);
  });
});
