import { DateTimeResolver } from 'graphql-scalars';
import { expect, test } from 'vitest';
import { isoString } from '../../../src/graphql/schema/scalars.ts';
import { schema } from '../../../src/graphql/schema.ts';

test('isoString writes what toISOString writes, for any valid Date', () => {
  const dates = [
    0,
    -1,
    1,
    999,
    -62_198_755_200_000,
    -62_167_219_200_000,
    -30_610_224_000_001,
    253_402_300_799_999,
    253_402_300_800_000,
    8.64e15,
    -8.64e15,
    Date.UTC(1999, 11, 31, 23, 59, 59, 5),
    Date.UTC(2026, 0, 1, 0, 0, 0, 50),
  ].map((ms) => new Date(ms));
  for (let i = 0; i < 2000; i++) dates.push(new Date(Math.floor((Math.random() - 0.3) * 4e13)));
  for (const date of dates)
    expect(isoString(date), String(date.getTime())).toBe(date.toISOString());
});

test('DateTime serialises to the text a Date gave in JSON, and refuses what it refused', () => {
  const scalar = schema.getType('DateTime') as typeof DateTimeResolver;
  const date = new Date(Date.UTC(2026, 10, 29, 21, 30, 5, 7));
  for (const value of [
    date,
    date.getTime(),
    '2026-11-29T21:30:05.007Z',
    '2026-11-29T22:30:05.007+01:00',
  ]) {
    expect(scalar.serialize(value)).toBe(
      JSON.parse(JSON.stringify(DateTimeResolver.serialize(value))),
    );
  }
  for (const value of [new Date(Number.NaN), 'yesterday', {}, true]) {
    expect(() => scalar.serialize(value)).toThrow();
    expect(() => DateTimeResolver.serialize(value)).toThrow();
  }
});
