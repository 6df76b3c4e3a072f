import { describe, expect, test } from 'vitest';
import { parseFactors } from '../../../src/graphql/factors.ts';
import { globalId, InvalidIdError, parseNumericId } from '../../../src/graphql/ids.ts';

describe('parseFactors', () => {
  test('a list of factors, with extra keys as details', () => {
    expect(
      parseFactors([
        { name: 'kda', score: 0.5, weight: 0.03, explanation: 'KDA 4.1', games: 12 },
        { factor: 'win_rate', score: 0.9, description: 'Wins 80%' },
        { score: 'high' },
        'not an object',
      ]),
    ).toEqual([
      { name: 'kda', score: 0.5, weight: 0.03, explanation: 'KDA 4.1', details: { games: 12 } },
      { name: 'win_rate', score: 0.9, weight: null, explanation: 'Wins 80%', details: null },
      { name: 'factor_3', score: null, weight: null, explanation: null, details: null },
    ]);
  });

  test('an object keyed by factor name; anything else is empty', () => {
    expect(parseFactors({ level: { score: 0.2, explanation: 'Level 31' }, trend: 0.7 })).toEqual([
      { name: 'level', score: 0.2, weight: null, explanation: 'Level 31', details: null },
      { name: 'trend', score: 0.7, weight: null, explanation: null, details: null },
    ]);
    expect(parseFactors(null)).toEqual([]);
    expect(parseFactors('x')).toEqual([]);
  });
});

describe('parseNumericId', () => {
  test('plain numbers and global IDs of the right type', () => {
    expect(parseNumericId('Job', '7')).toBe(7);
    expect(parseNumericId('Job', ' 7 ')).toBe(7);
    expect(parseNumericId('Job', globalId('Job', 7))).toBe(7);
    expect(parseNumericId('JobExecution', globalId('JobExecution', 12))).toBe(12);
  });

  test('anything else is INVALID_INPUT', () => {
    for (const raw of [
      '0',
      '-1',
      '07',
      '1.5',
      '2147483648',
      'abc',
      '',
      globalId('JobExecution', 1),
      globalId('Player', 'x'),
      globalId('Job', 'x'),
    ]) {
      expect(() => parseNumericId('Job', raw), raw).toThrow(InvalidIdError);
    }
  });
});
