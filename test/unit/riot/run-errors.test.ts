import { describe, expect, it } from 'vitest';
import { RiotRateLimitedError, RiotServerError } from '../../../src/riot/errors.ts';
import { endsTheRun } from '../../../src/riot/run-errors.ts';

describe('endsTheRun', () => {
  it('ends the run on a 429 past the retries that holds back the whole key', () => {
    expect(endsTheRun(new RiotRateLimitedError(1000, 'application'))).toBe(true);
    expect(endsTheRun(new RiotRateLimitedError(1000, 'server'))).toBe(true);
  });

  it('fails only the item on a method or service 429: other endpoints and regions go on', () => {
    expect(endsTheRun(new RiotRateLimitedError(1000, 'method'))).toBe(false);
    expect(endsTheRun(new RiotRateLimitedError(1000, 'service'))).toBe(false);
    expect(endsTheRun(new RiotServerError(503, 'down'))).toBe(false);
  });
});
