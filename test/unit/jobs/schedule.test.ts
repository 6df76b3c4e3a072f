import { describe, expect, it } from 'vitest';
import {
  latestNextRun,
  parseHumanInterval,
  parseSchedule,
  ScheduleError,
} from '../../../src/jobs/engine/schedule.ts';

describe('parseSchedule', () => {
  it('reads plain seconds and interval:N', () => {
    expect(parseSchedule('120', 60)).toMatchObject({
      kind: 'interval',
      seconds: 120,
      agenda: 120_000,
    });
    expect(parseSchedule('interval:120', 60)).toMatchObject({ kind: 'interval', seconds: 120 });
    expect(parseSchedule(' INTERVAL: 45 ', 60)).toMatchObject({ kind: 'interval', seconds: 45 });
  });

  it('falls back to JOB_INTERVAL_SECONDS when empty', () => {
    expect(parseSchedule(null, 120)).toMatchObject({ kind: 'interval', seconds: 120 });
    expect(parseSchedule(undefined, 90)).toMatchObject({ kind: 'interval', seconds: 90 });
    expect(parseSchedule('   ', 30)).toMatchObject({ kind: 'interval', seconds: 30 });
  });

  it('reads human intervals', () => {
    expect(parseSchedule('2 minutes', 1)).toMatchObject({ kind: 'interval', seconds: 120 });
    expect(parseSchedule('1 hour', 1)).toMatchObject({ kind: 'interval', seconds: 3600 });
    expect(parseSchedule('every 90 seconds', 1)).toMatchObject({ seconds: 90 });
    expect(parseSchedule('1 hour 30 minutes', 1)).toMatchObject({ seconds: 5400 });
    expect(parseSchedule('1 hour and 30 minutes', 1)).toMatchObject({ seconds: 5400 });
    expect(parseSchedule('1.5 hours', 1)).toMatchObject({ seconds: 5400 });
    expect(parseSchedule('2m', 1)).toMatchObject({ seconds: 120 });
    expect(parseSchedule('every minute', 1)).toMatchObject({ seconds: 60 });
    expect(parseSchedule('1 day', 1)).toMatchObject({ seconds: 86_400 });
  });

  it('reads 5-field cron expressions', () => {
    expect(parseSchedule('0 3 * * *', 1)).toEqual({
      kind: 'cron',
      expression: '0 3 * * *',
      agenda: '0 3 * * *',
      description: 'cron 0 3 * * * (UTC)',
    });
    expect(parseSchedule('*/5 * * * *', 1)).toMatchObject({ kind: 'cron' });
    expect(parseSchedule('0 9 * * MON-FRI', 1)).toMatchObject({ kind: 'cron' });
  });

  it.each([
    ['banana'],
    ['0'],
    ['interval:0'],
    ['interval:abc'],
    ['2 fortnights'],
    ['61 * * * *'],
    ['* * * *'],
    ['0 0 1 1 1 1'],
    ['-5'],
    ['0.2 seconds'],
    ['100000000 weeks'],
    ['367 days'],
  ])('rejects %j with a clear message', (text) => {
    expect(() => parseSchedule(text, 120)).toThrow(ScheduleError);
    expect(() => parseSchedule(text, 120)).toThrow(/schedule/i);
  });

  it('takes an interval up to 366 days', () => {
    expect(parseSchedule('366 days', 120)).toMatchObject({ seconds: 366 * 86_400 });
  });

  it('names the accepted forms in its error', () => {
    expect(() => parseSchedule('sometimes', 120)).toThrow(/"interval:120".*cron/);
  });
});

describe('parseHumanInterval', () => {
  it('returns null for anything that is not an interval', () => {
    expect(parseHumanInterval('0 3 * * *')).toBeNull();
    expect(parseHumanInterval('minutes 2')).toBeNull();
    expect(parseHumanInterval('')).toBeNull();
  });
});

describe('latestNextRun', () => {
  it('reads cron in UTC whatever the host time zone', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'Asia/Kolkata';
    try {
      const next = latestNextRun(parseSchedule('30 4 * * *', 1), new Date('2026-01-01T00:00:00Z'));
      expect(next.toISOString()).toBe('2026-01-01T04:30:00.000Z');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
