import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.ts';
import { describeStartupError, reasonOf, StartupError } from '../../src/startup-error.ts';

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
