import { describe, expect, it } from 'vitest';
import { createLogger, type LogFormat, resolveLogFormat } from '../../src/logger.ts';

function capture(format: LogFormat) {
  const chunks: string[] = [];
  const logger = createLogger('info', { format, destination: { write: (c) => chunks.push(c) } });
  return { logger, lines: () => chunks.join('').split('\n').filter(Boolean) };
}

const RUNBOOK_MESSAGES = [
  'Job starting',
  'Job complete',
  'Job failed',
  'Rate limit approaching capacity',
  'Rate limit exceeded',
];

describe('createLogger', () => {
  it('writes one JSON object per record, with the fields and the runbook messages', () => {
    const { logger, lines } = capture('json');
    for (const msg of RUNBOOK_MESSAGES) logger.info({ job_type: 'x', execution_id: 7 }, msg);
    logger.debug('below the level');
    const records = lines().map((line) => JSON.parse(line));
    expect(records.map((r) => r.msg)).toEqual(RUNBOOK_MESSAGES);
    expect(records[0]).toMatchObject({
      level: 30,
      service: 'riftwatch',
      job_type: 'x',
      execution_id: 7,
    });
    expect(records[0].time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('writes the same records as one readable line each, without colours off a terminal', () => {
    const { logger, lines } = capture('pretty');
    logger.warn({ job_type: 'tracked_player_updater', usage: { used: 19 } }, 'Rate limit exceeded');
    logger.child({ component: 'riot' }).info({ execution_id: 7 }, 'Job complete');
    logger.debug('below the level');
    const [warn, info, ...rest] = lines();
    expect(rest).toEqual([]);
    expect(warn).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: Rate limit exceeded /);
    expect(warn).toContain('"job_type":"tracked_player_updater"');
    expect(warn).toContain('"usage":{"used":19}');
    expect(info).toMatch(/INFO: Job complete .*"component":"riot".*"execution_id":7/);
    expect(`${warn}${info}`).not.toContain('\u001b['); // no ANSI colours into a file or a test
    expect(() => JSON.parse(warn ?? '')).toThrow();
  });

  it('never writes the Riot key, in either format', () => {
    for (const format of ['json', 'pretty'] as const) {
      const { logger, lines } = capture(format);
      logger.info({ apiKey: 'RGAPI-secret', req: { apiKey: 'RGAPI-secret' } }, 'request');
      expect(lines().join('\n')).not.toContain('RGAPI-secret');
    }
  });
});

describe('resolveLogFormat', () => {
  it('is pretty on a terminal and JSON elsewhere unless LOG_FORMAT says otherwise', () => {
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('auto', false)).toBe('json');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });
});
