import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { debounce } from '../../../src/dashboard/debounce.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

it('runs once after a burst of calls, and not at all once cancelled', () => {
  const fn = vi.fn();
  const later = debounce(fn, 100);
  later();
  vi.advanceTimersByTime(60);
  later();
  vi.advanceTimersByTime(99);
  expect(fn).not.toHaveBeenCalled();
  vi.advanceTimersByTime(1);
  expect(fn).toHaveBeenCalledTimes(1);
  later();
  later.cancel();
  vi.advanceTimersByTime(1000);
  expect(fn).toHaveBeenCalledTimes(1);
});
