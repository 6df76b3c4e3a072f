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

test('nothing but ISO 8601 is read as a date-time: no local time, no text after the date', () => {
  const zone = process.env.TZ;
  process.env.TZ = 'America/New_York';
  try {
    for (const text of [
      '2026-11-30 10:00 AM',
      '2026-11-30 decade',
      '2026-01-01junk',
      'Nov 30 2026',
      '2026-11-30T10:00:00 GMT',
      '2026-11-30T10:00:00+0200',
      '2026-11-30T10:00:00+02',
      '2026-11-30T24:00:00Z',
      '2026-11-30T10:60Z',
      '2026-11-30T10:00:00+24:00',
      '2026-11-30Z',
      '2026-1-3',
      '+002026-11-30',
    ]) {
      expect(() => parseSince(text, NOW), text).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
    }
  } finally {
    process.env.TZ = zone;
  }
});

test('fractions and offsets: milliseconds kept, the offset taken off', () => {
  expect(parseSince('2026-11-30T10:00:00.1234Z', NOW)).toBe('2026-11-30T10:00:00.123Z');
  expect(parseSince('2026-11-30T00:30-05:30', NOW)).toBe('2026-11-30T06:00:00.000Z');
  expect(parseSince(' 2026-11-30T10:00Z ', NOW)).toBe('2026-11-30T10:00:00.000Z');
});

test('the error names what was given, --since for the CLI', () => {
  expect(() => parseSince('last week', NOW, '--since')).toThrow(
    /^Invalid --since "last week": expected a duration/,
  );
  expect(() => parseSince('last week', NOW)).toThrow(/^Invalid since "last week"/);
});
