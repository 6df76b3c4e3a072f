import { describe, expect, it } from 'vitest';
import { secondsLeft } from '../../../src/dashboard/clock.ts';
import { RequestError } from '../../../src/dashboard/request.ts';
import { outcomeOfError, outcomeText } from '../../../src/dashboard/trigger-outcome.ts';

describe("a Trigger button's message", () => {
  it('a spent mutation budget counts down, then says nothing', () => {
    const now = 1_000_000;
    const outcome = outcomeOfError(
      new RequestError('Too many mutations: retry in 27 s', 'RATE_LIMITED', 27),
      now,
    );
    expect(outcome).toEqual({ kind: 'throttled', until: now + 27_000 });
    expect(outcomeText(outcome, now)).toBe('Too many mutations: retry in 27 s');
    expect(outcomeText(outcome, now + 1_000)).toBe('Too many mutations: retry in 26 s');
    expect(outcomeText(outcome, now + 26_500)).toBe('Too many mutations: retry in 1 s');
    expect(outcomeText(outcome, now + 27_000)).toBeNull();
  });

  it('no answer lasts until the server is back; a refusal until the next try', () => {
    expect(outcomeOfError(new RequestError('The server cannot be reached', null), 0).kind).toBe(
      'unreachable',
    );
    expect(outcomeOfError(new RequestError('No such job', 'NOT_FOUND'), 0)).toEqual({
      kind: 'refused',
      message: 'No such job',
    });
  });

  it('a countdown is in whole seconds, rounded up, and none without an end', () => {
    expect(secondsLeft(10_500, 10_000)).toBe(1);
    expect(secondsLeft(12_000, 10_000)).toBe(2);
    expect(secondsLeft(9_000, 10_000)).toBe(0);
    expect(secondsLeft(null, 10_000)).toBe(0);
  });
});
