import { CronExpressionParser } from 'cron-parser';

/**
 * A parsed `job_configurations.schedule`. `agenda` is what Agenda's `every()` gets: a number of
 * milliseconds for intervals (a string interval would be re-parsed by Agenda's own, looser rules)
 * or the 5-field cron expression.
 */
export type Schedule =
  | { kind: 'interval'; seconds: number; agenda: number; description: string }
  | { kind: 'cron'; expression: string; agenda: string; description: string };

/** Cron expressions are read in UTC, whatever the host's time zone. */
export const CRON_TIME_ZONE = 'UTC';

export class ScheduleError extends Error {
  override readonly name = 'ScheduleError';
}

const UNIT_SECONDS = {
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  d: 86_400,
  day: 86_400,
  days: 86_400,
  w: 604_800,
  week: 604_800,
  weeks: 604_800,
} as const satisfies Record<string, number>;

const HINT =
  'expected seconds ("120"), "interval:120", a human interval ("2 minutes", "1 hour 30 minutes") or a 5-field cron expression ("*/5 * * * *")';

/** No schedule of its own: the row runs every JOB_INTERVAL_SECONDS. */
export const isDefaultSchedule = (raw: string | null | undefined) => (raw ?? '').trim() === '';

/**
 * Parses a `job_configurations.schedule`. Empty or null means every `defaultIntervalSeconds`.
 * Throws ScheduleError with a message naming the accepted forms.
 */
export function parseSchedule(
  raw: string | null | undefined,
  defaultIntervalSeconds: number,
): Schedule {
  if (isDefaultSchedule(raw)) return interval(defaultIntervalSeconds, 'JOB_INTERVAL_SECONDS');
  const text = (raw ?? '').trim();
  if (/^\d+$/.test(text)) return interval(Number(text), text);
  const prefixed = /^interval\s*:\s*(\d+)$/i.exec(text);
  if (prefixed?.[1] !== undefined) return interval(Number(prefixed[1]), text);
  const human = parseHumanInterval(text);
  if (human !== null) return interval(human, text);
  if (text.split(/\s+/).length === 5 && /^[\d*,/\-\sA-Za-z?LW#]+$/.test(text)) return cron(text);
  throw new ScheduleError(`Invalid schedule ${JSON.stringify(text)}: ${HINT}`);
}

/** `"2 minutes"`, `"every 90 seconds"`, `"1 hour 30 minutes"`, `"1.5 hours"`, `"2m"`, `"hour"`; else null. */
export function parseHumanInterval(text: string): number | null {
  const body = text
    .toLowerCase()
    .replace(/^every\s+/, '')
    .replace(/,|\band\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // A bare unit ("hour", "every minute") means one of it.
  if (isUnit(body)) return UNIT_SECONDS[body];
  if (!/^(\d+(\.\d+)? ?[a-z]+ ?)+$/.test(body)) return null;
  let seconds = 0;
  for (const [, amount, unit] of body.matchAll(/(\d+(?:\.\d+)?) ?([a-z]+)/g)) {
    if (amount === undefined || unit === undefined || !isUnit(unit)) return null;
    seconds += Number(amount) * UNIT_SECONDS[unit];
  }
  return seconds;
}

function isUnit(word: string): word is keyof typeof UNIT_SECONDS {
  return Object.hasOwn(UNIT_SECONDS, word);
}

/**
 * At most a year: a longer interval is more likely a typo than a plan, and past the dates
 * JavaScript can hold (`100000000 weeks`) Agenda finds no next run and says nothing.
 */
export const MAX_INTERVAL_SECONDS = 366 * 86_400;

function interval(seconds: number, source: string): Schedule {
  if (!Number.isFinite(seconds) || seconds < 1) {
    throw new ScheduleError(
      `Invalid schedule ${JSON.stringify(source)}: the interval must be at least 1 second`,
    );
  }
  if (seconds > MAX_INTERVAL_SECONDS) {
    throw new ScheduleError(
      `Invalid schedule ${JSON.stringify(source)}: the interval must be at most 366 days`,
    );
  }
  const whole = Math.round(seconds);
  return {
    kind: 'interval',
    seconds: whole,
    agenda: whole * 1000,
    description: `every ${whole} s`,
  };
}

function cron(expression: string): Schedule {
  try {
    CronExpressionParser.parse(expression, { tz: CRON_TIME_ZONE });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ScheduleError(`Invalid cron schedule ${JSON.stringify(expression)}: ${reason}`);
  }
  return { kind: 'cron', expression, agenda: expression, description: `cron ${expression} (UTC)` };
}

/**
 * The latest moment the schedule's next run can be, seen from `now`: one interval ahead, or the
 * cron's next occurrence. A stored next run later than that is stale (see the reconciler).
 */
export function latestNextRun(schedule: Schedule, now: Date): Date {
  if (schedule.kind === 'interval') return new Date(now.getTime() + schedule.seconds * 1000);
  return CronExpressionParser.parse(schedule.expression, { currentDate: now, tz: CRON_TIME_ZONE })
    .next()
    .toDate();
}
