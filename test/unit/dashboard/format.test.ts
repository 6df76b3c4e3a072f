import { describe, expect, it } from 'vitest';
import { duration } from '../../../src/dashboard/format.ts';

describe('duration', () => {
  it.each([
    [0.84, '0.8 s'],
    [59.94, '59.9 s'],
    [59.97, '1 min 00 s'],
    [65, '1 min 05 s'],
    [119.6, '2 min 00 s'],
    [3600, '60 min 00 s'],
  ])('%f s is %s', (seconds, written) => {
    expect(duration(seconds)).toBe(written);
  });

  it('no duration is a dash', () => {
    expect(duration(null)).toBe('—');
  });
});
