import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.ts';
import {
  cannotConnect,
  describeStartupError,
  reasonOf,
  StartupError,
} from '../../src/startup-error.ts';

const listenError = (code: string, port: number) =>
  Object.assign(new Error(`listen ${code}: 0.0.0.0:${port}`), { code, syscall: 'listen', port });

describe('describeStartupError', () => {
  it('passes configuration and start-up errors through as one line', () => {
    expect(describeStartupError(new ConfigError(['PORT="x": expected a number']))).toBe(
      'Invalid configuration: PORT="x": expected a number',
    );
    expect(describeStartupError(new StartupError('Cannot connect\n  at all'))).toBe(
      'Cannot connect at all',
    );
  });

  it('names the port that is taken or not allowed', () => {
    expect(describeStartupError(listenError('EADDRINUSE', 8000))).toBe(
      'PORT 8000 is already in use: stop the process listening on it, or set PORT to a free port',
    );
    expect(describeStartupError(listenError('EACCES', 80))).toMatch(/^PORT 80 cannot be opened/);
  });

  it('gives anything else one line with its causes, never a stack', () => {
    const error = new Error('Embedded PostgreSQL did not start', {
      cause: new Error('initdb exited with 1:\nFATAL: no space left'),
    });
    expect(describeStartupError(error)).toBe(
      'riftwatch failed to start: Embedded PostgreSQL did not start: initdb exited with 1: FATAL: no space left',
    );
    expect(describeStartupError('text')).toBe('riftwatch failed to start: text');
  });
});

describe('reasonOf', () => {
  it("reads an AggregateError's inner errors when its own message is empty", () => {
    const error = new AggregateError(
      [new Error('connect ECONNREFUSED ::1:1'), new Error('connect ECONNREFUSED 127.0.0.1:1')],
      '',
    );
    expect(reasonOf(error)).toBe('connect ECONNREFUSED ::1:1; connect ECONNREFUSED 127.0.0.1:1');
  });

  it('falls back to the code when there is no message', () => {
    expect(reasonOf(Object.assign(new Error(''), { code: 'ETIMEDOUT' }))).toBe('ETIMEDOUT');
  });
});

describe('cannotConnect', () => {
  const refused = new Error('connect ECONNREFUSED 127.0.0.1:1');

  it('names the service, where it is and the variable, as a StartupError', () => {
    const error = cannotConnect(
      {
        service: 'PostgreSQL',
        variable: 'JOB_STORE_URL',
        url: 'postgres://u@db/x',
        defaultPort: 5432,
      },
      refused,
    );
    expect(error).toBeInstanceOf(StartupError);
    expect(error.cause).toBe(refused);
    expect(describeStartupError(error)).toBe(
      'Cannot connect to PostgreSQL at db:5432 (JOB_STORE_URL): connect ECONNREFUSED 127.0.0.1:1',
    );
  });

  it.each([
    ['mongodb://u:pw@127.0.0.1:1/rw', 27017, '127.0.0.1:1'],
    ['mongodb://u:pw@h1,h2:27018/rw?replicaSet=rs', 27017, 'h1:27017,h2:27018'],
    ['mongodb+srv://u:pw@cluster.example.net/rw', undefined, 'cluster.example.net'],
    ['postgres://u:p/w@d@db:6543/x', 5432, 'db:6543'],
    ['postgres://[::1]/x', 5432, '[::1]:5432'],
  ])('reads the hosts of %s', (url, defaultPort, hosts) => {
    const error = cannotConnect({ service: 'S', variable: 'V', url, defaultPort }, refused);
    expect(error.message).toBe(`Cannot connect to S at ${hosts} (V): ${refused.message}`);
  });

  it('never shows the password, however the reason echoes it', () => {
    const url = 'mongodb://rw:s3cr%40t-pw@db/rw';
    const reason = new Error(`auth failed for s3cr@t-pw, s3cr%40t-pw in ${url}`);
    const { message } = cannotConnect({ service: 'MongoDB', variable: 'V', url }, reason);
    expect(message).not.toMatch(/s3cr/);
    expect(message).toContain('[redacted]');
  });
});
