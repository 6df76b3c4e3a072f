import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigError,
  optionalText,
  port,
  positiveNumber,
  readEnv,
  secretText,
  urlWithScheme,
  wholeNumber,
} from '../../src/env.ts';

const schema = z.object({
  A_PORT: port(4010, 'expected a whole number <= 65535'),
  A_COUNT: wholeNumber(1, 9).optional(),
  A_SCALE: positiveNumber('expected a number > 0').default(1),
  A_URL: urlWithScheme(['redis'], 'a redis:// URL'),
  A_NAME: optionalText,
  A_SECRET: secretText((v) => (v.includes(' ') ? 'holds a space' : null)),
});

function rejection(env: Record<string, string | undefined>): ConfigError {
  try {
    readEnv(schema, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('readEnv', () => {
  it('takes the defaults when nothing is set, and a blank variable counts as unset', () => {
    const unset = { A_PORT: 4010, A_COUNT: undefined, A_SCALE: 1, A_URL: undefined };
    expect(readEnv(schema, {})).toEqual(unset);
    expect(readEnv(schema, { A_PORT: '', A_COUNT: '  ', A_SCALE: undefined })).toEqual(unset);
  });

  it('reads values with the spaces around them left out', () => {
    expect(
      readEnv(schema, { A_PORT: ' 0 ', A_COUNT: '3', A_SCALE: ' .5 ', A_NAME: ' x ' }),
    ).toEqual({ A_PORT: 0, A_COUNT: 3, A_SCALE: 0.5, A_URL: undefined, A_NAME: 'x' });
  });

  it('names every bad variable, its value as given and the form it expects, on one line', () => {
    const error = rejection({ A_PORT: 'abc', A_COUNT: ' 10', A_SCALE: '0', A_URL: 'http://x' });
    expect(error.message).toBe(
      'Invalid configuration: A_PORT="abc": expected a whole number <= 65535; A_COUNT=" 10": expected a whole number >= 1 and <= 9; A_SCALE="0": expected a number > 0; A_URL="http://x": expected a redis:// URL',
    );
    expect(error.problems).toHaveLength(4);
  });

  it('a digit string too long for a number is out of range, as written', () => {
    const digits = '9'.repeat(400);
    expect(rejection({ A_COUNT: digits, A_SCALE: digits }).problems).toEqual([
      `A_COUNT="${digits}": expected a whole number >= 1 and <= 9`,
      `A_SCALE="${digits}": expected a number > 0`,
    ]);
  });

  it('refuses a URL of the right scheme that does not parse, without echoing its password', () => {
    const { message } = rejection({ A_URL: 'redis://user:S3cret@cache:abc' });
    expect(message).toBe(
      'Invalid configuration: A_URL="redis://user:***@cache:abc": expected a redis:// URL that parses: check its host and port, and percent-encode any / ? # in its user or password',
    );
  });

  it('names a bad secret without showing it', () => {
    expect(rejection({ A_SECRET: 'two words' }).problems).toEqual(['A_SECRET: holds a space']);
    expect(readEnv(schema, { A_SECRET: 'one' })).toMatchObject({ A_SECRET: 'one' });
  });

  it('does not echo a password in a bad URL', () => {
    const { message } = rejection({ A_URL: 'http://user:S3cret@cache:6379' });
    expect(message).toContain('A_URL="http://user:***@cache:6379"');
    expect(message).not.toContain('S3cret');
  });
});
