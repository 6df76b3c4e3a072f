import { describe, expect, it } from 'vitest';
import { RIOT_METHODS } from '../../../src/riot/endpoints.ts';
import {
  createLimitEnforcer,
  DEFAULT_SIMULATOR_LIMITS,
} from '../../../src/riot/simulator/limits.ts';

const M = RIOT_METHODS.summonerByPuuid;

function enforcer(options?: { recordAccepted?: boolean }) {
  let now = 0;
  const limits = createLimitEnforcer(DEFAULT_SIMULATOR_LIMITS, 1, () => now, options);
  return { limits, at: (t: number) => (now = t) };
}

describe("the simulator's rate limits", () => {
  it('stay exact after hours of traffic (the log keeps only what its windows reach)', () => {
    const { limits, at } = enforcer();
    // 20,000 requests, one every 1.3 s (under 100 per 120 s): all accepted.
    for (let i = 0; i < 20_000; i++) {
      at(i * 1300);
      expect(limits.check('euw1', M).ok).toBe(true);
    }
    const start = 20_000 * 1300 + 200_000;
    for (let i = 0; i < 20; i++) {
      at(start + i);
      expect(limits.check('euw1', M).ok).toBe(true);
    }
    at(start + 20);
    const refused = limits.check('euw1', M);
    expect(refused).toMatchObject({ ok: false, type: 'application', retryAfterSeconds: 1 });
    expect(refused.headers['X-App-Rate-Limit-Count']).toBe('21:1,21:120');
  });

  it('record every accepted time only when asked to', () => {
    const plain = enforcer();
    plain.limits.check('euw1', M);
    expect(() => plain.limits.accepted('euw1')).toThrow(/recordAccepted/);
    const recording = enforcer({ recordAccepted: true });
    for (let i = 0; i < 2000; i++) {
      recording.at(i * 1300);
      recording.limits.check('euw1', M);
    }
    expect(recording.limits.accepted('euw1')).toHaveLength(2000);
    expect(recording.limits.accepted('euw1')[0]).toBe(0);
  });
});
