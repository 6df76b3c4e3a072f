import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRefresh, REFRESH_MS } from '../../../src/dashboard/refresh.ts';

describe('reading the snapshot again now and then', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A refresh whose reads tell it they started, as the hook's do; the test says when one succeeds. */
  const refreshing = (everyMs = 1000) => {
    const read = vi.fn(() => refresh.started());
    const refresh = createRefresh(read, everyMs);
    return { read, refresh };
  };

  it('reads once a minute unless told otherwise', () => {
    const read = vi.fn();
    const refresh = createRefresh(read);
    refresh.succeeded();
    vi.advanceTimersByTime(REFRESH_MS - 1);
    expect(read).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(read).toHaveBeenCalledTimes(1);
    expect(REFRESH_MS).toBe(60_000);
  });

  it('reads the period after each success, and never while a read is in flight', () => {
    const { read, refresh } = refreshing();
    refresh.started();
    vi.advanceTimersByTime(5000);
    expect(read).not.toHaveBeenCalled();
    refresh.succeeded();
    vi.advanceTimersByTime(1000);
    expect(read).toHaveBeenCalledTimes(1);
    // In flight: however long it takes, no second read.
    vi.advanceTimersByTime(10_000);
    expect(read).toHaveBeenCalledTimes(1);
    refresh.succeeded();
    vi.advanceTimersByTime(1000);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('leaves a failed read to the retry: no timer until a read succeeds', () => {
    const { read, refresh } = refreshing();
    refresh.succeeded();
    vi.advanceTimersByTime(1000);
    expect(read).toHaveBeenCalledTimes(1);
    // That read failed; the retry's reads start and fail too.
    refresh.started();
    refresh.started();
    vi.advanceTimersByTime(10_000);
    expect(read).toHaveBeenCalledTimes(1);
    refresh.succeeded();
    vi.advanceTimersByTime(1000);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('a read started otherwise (a reconnect) starts the period again', () => {
    const { read, refresh } = refreshing();
    refresh.succeeded();
    vi.advanceTimersByTime(900);
    refresh.started();
    refresh.succeeded();
    vi.advanceTimersByTime(900);
    expect(read).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('pauses while the page is hidden, and reads once when it is shown again', () => {
    const { read, refresh } = refreshing();
    refresh.succeeded();
    refresh.visibility(false);
    vi.advanceTimersByTime(10_000);
    expect(read).not.toHaveBeenCalled();
    refresh.visibility(true);
    expect(read).toHaveBeenCalledTimes(1);
    // Shown again while that read is in flight: no second one.
    refresh.visibility(false);
    refresh.visibility(true);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('a page hidden from the start is read once shown', () => {
    const { read, refresh } = refreshing();
    refresh.visibility(false);
    refresh.started();
    refresh.succeeded();
    vi.advanceTimersByTime(10_000);
    expect(read).not.toHaveBeenCalled();
    refresh.visibility(true);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('reads nothing once stopped', () => {
    const { read, refresh } = refreshing();
    refresh.succeeded();
    refresh.stop();
    vi.advanceTimersByTime(10_000);
    refresh.succeeded();
    refresh.visibility(false);
    refresh.visibility(true);
    vi.advanceTimersByTime(10_000);
    expect(read).not.toHaveBeenCalled();
  });
});
