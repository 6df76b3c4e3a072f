import { expect, test } from 'vitest';
import { parseSince } from '../../../src/api-client/since.ts';

const NOW = Date.parse('2026-11-30T12:00:00Z');

test('a duration back from now, or an ISO date-time', () => {
  expect(parseSince('90s', NOW)).toBe('2026-11-30T11:58:30.000Z');
  expect(parseSince('24h', NOW)).toBe('2026-11-29T12:00:00.000Z');
  expect(parseSince('7d', NOW)).toBe('2026-11-23T12:00:00.000Z');
  expect(parseSince('2024-02-29T10:00:00Z', NOW)).toBe('2024-02-29T10:00:00.000Z');
  expect(parseSince('2026-01-01', NOW)).toBe('2026-01-01T00:00:00.000Z');
  expect(parseSince('2026-01-01T10:00:00+02:00', NOW)).toBe('2026-01-01T08:00:00.000Z');
});

test('a date-time without a zone is UTC, as a date alone is, whatever the local zone', () => {
  const zone = process.env.TZ;
  process.env.TZ = 'America/New_York';
  try {
    expect(parseSince('2026-11-30T07:00', NOW)).toBe('2026-11-30T07:00:00.000Z');
    expect(parseSince('2026-11-30 07:00:30.5', NOW)).toBe('2026-11-30T07:00:30.500Z');
  } finally {
    process.env.TZ = zone;
  }
});

test('anything else is INVALID_INPUT, a day that does not exist included', () => {
  for (const text of [
    'yesterday',
    '24',
    '1w',
    '2023-02-29',
    '2024-02-30T00:00:00Z',
    '2024-13-01',
  ]) {
    expect(() => parseSince(text, NOW), text).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  }
});
