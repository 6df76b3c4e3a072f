import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRetry, isTransient, retryDelay } from '../../../src/dashboard/retry.ts';
import type { PlayerDetail } from '../../../src/dashboard/types.ts';
import { afterFailure, type PlayerState, retries } from '../../../src/dashboard/use-player.ts';

describe('retrying a read', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits longer after each failure, up to 15 s', () => {
    expect([0, 1, 2, 3, 4, 9].map(retryDelay)).toEqual([1000, 2000, 4000, 8000, 15_000, 15_000]);
  });

  it('reads again after each failure, and starts over after a success', () => {
    const read = vi.fn();
    const retry = createRetry(read);
    retry.failed();
    vi.advanceTimersByTime(999);
    expect(read).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(read).toHaveBeenCalledTimes(1);
    retry.failed();
    vi.advanceTimersByTime(1999);
    expect(read).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(read).toHaveBeenCalledTimes(2);
    retry.succeeded();
    retry.failed();
    vi.advanceTimersByTime(1000);
    expect(read).toHaveBeenCalledTimes(3);
    retry.stop();
    vi.advanceTimersByTime(60_000);
    expect(read).toHaveBeenCalledTimes(3);
  });

  it('no answer, or a server fault, may pass; a refusal will not', () => {
    expect(isTransient({ code: null })).toBe(true);
    expect(isTransient({ code: 'INTERNAL_SERVER_ERROR' })).toBe(true);
    expect(isTransient({ code: 'INVALID_INPUT' })).toBe(false);
  });
});

describe("a player's page after a failed read", () => {
  const player = { puuid: 'P', riotId: 'Someone#EUW' } as PlayerDetail;
  const unreachable = { message: 'The server cannot be reached', code: null };

  it('keeps the player read before, says the page may be out of date, and reads again', () => {
    const loaded: PlayerState = { state: 'loaded', player, stale: null };
    const next = afterFailure(loaded, unreachable);
    expect(next).toEqual({ state: 'loaded', player, stale: 'The server cannot be reached' });
    expect(retries(next)).toBe(true);
  });

  it('with nothing read yet, is the failure: retried unless the request is at fault', () => {
    const first = afterFailure({ state: 'loading' }, unreachable);
    expect(first).toMatchObject({ state: 'failed', retrying: true });
    expect(retries(first)).toBe(true);
    const invalid = afterFailure(
      { state: 'loading' },
      { message: 'puuid: must be 78 characters', code: 'INVALID_INPUT' },
    );
    expect(invalid).toMatchObject({ state: 'failed', retrying: false });
    expect(retries(invalid)).toBe(false);
  });
});
