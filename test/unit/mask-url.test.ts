import { describe, expect, it } from 'vitest';
import { maskUrlPassword } from '../../src/mask-url.ts';

describe('maskUrlPassword', () => {
  it.each([
    ['postgresql://riot:S3cret@db:5432/riot', 'postgresql://riot:***@db:5432/riot'],
    ['postgresql+asyncpg://riot:S3cret@db/riot', 'postgresql+asyncpg://riot:***@db/riot'],
    ['redis://:S3cret@cache:6379/0', 'redis://:***@cache:6379/0'],
    ['mongodb+srv://a:S3cret@h1,h2/agenda?w=1', 'mongodb+srv://a:***@h1,h2/agenda?w=1'],
    ['http://admin:pw-123@host:8000', 'http://admin:***@host:8000'],
    [' mysql://riot:hunter2@db/riot', ' mysql://riot:***@db/riot'],
    ['\tmysql://riot:hunter2@db/riot ', '\tmysql://riot:***@db/riot '],
    [
      'postgres://db/riot?user=riot&password=S3cret&ssl=1',
      'postgres://db/riot?user=riot&password=***&ssl=1',
    ],
  ])('masks the password of %s', (url, masked) => {
    expect(maskUrlPassword(url)).toBe(masked);
  });

  it('masks up to the last @ of text that does not parse as a URL', () => {
    expect(maskUrlPassword('postgres://riot:S3/cr@t@db host/riot')).toBe(
      'postgres://riot:***@db host/riot',
    );
    expect(maskUrlPassword('http://admin:pw@host:port')).toBe('http://admin:***@host:port');
  });

  it('masks every URL within a text, as error messages quote them', () => {
    expect(maskUrlPassword('connect failed for postgresql://u:s3cret@h/db')).toBe(
      'connect failed for postgresql://u:***@h/db',
    );
    expect(
      maskUrlPassword(
        'TypeError: Request cannot be constructed from a URL that includes credentials: http://rw:s3cret@127.0.0.1:9/euw1/lol/summoner/v4',
      ),
    ).toBe(
      'TypeError: Request cannot be constructed from a URL that includes credentials: http://rw:***@127.0.0.1:9/euw1/lol/summoner/v4',
    );
    expect(maskUrlPassword('from redis://:a@x:1 to (mongodb://u:b@h1,h2/db) at user@host')).toBe(
      'from redis://:***@x:1 to (mongodb://u:***@h1,h2/db) at user@host',
    );
    expect(maskUrlPassword('failed: http://admin:pw@host:port, retrying')).toBe(
      'failed: http://admin:***@host:port, retrying',
    );
  });

  it('masks a URL after one without a password', () => {
    expect(maskUrlPassword('tried redis://h:6379 and postgres://u:secret@db/x')).toBe(
      'tried redis://h:6379 and postgres://u:***@db/x',
    );
    expect(
      maskUrlPassword(
        'connect ECONNREFUSED http://127.0.0.1:4010 then postgresql://riot:hunter2@db',
      ),
    ).toBe('connect ECONNREFUSED http://127.0.0.1:4010 then postgresql://riot:***@db');
  });

  it('leaves URLs without a password alone within a text too', () => {
    const text =
      'no answer from postgres://db:5432/riot?application_name=a@b nor http://localhost:8000 (ops@example.test)';
    expect(maskUrlPassword(text)).toBe(text);
  });

  it('leaves URLs without a password alone, an @ in their path or query included', () => {
    for (const url of [
      'postgresql://riot@db:5432/riot',
      'postgres://db:5432/riot?application_name=a@b',
      'http://localhost:8000',
      'not a url',
      '',
    ]) {
      expect(maskUrlPassword(url)).toBe(url);
    }
  });
});
