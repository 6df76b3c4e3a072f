import { ApiError } from './errors.ts';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

const DURATION = /^(\d{1,6})([smhd])$/;
/** A date, or a date-time to the minute at least, then an optional zone: Z or ±hh:mm. */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * The instant of an ISO 8601 date-time in milliseconds, or NaN. Fields are checked here rather
 * than left to Date.parse, which reads much besides ISO 8601 (in local time) and rolls a day or
 * an hour that does not exist over.
 */
function isoInstant(text: string): number {
  const match = DATE_TIME.exec(text);
  if (!match) return Number.NaN;
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction, zone] = match;
  const date = `${year}-${month}-${day}`;
  const midnight = new Date(`${date}T00:00:00Z`);
  // A day that does not exist (2023-02-29) comes back as another one, or as no date at all.
  const dayExists = !Number.isNaN(midnight.getTime()) && midnight.toISOString().startsWith(date);
  if (!dayExists || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) {
    return Number.NaN;
  }
  const ms = (fraction ?? '').slice(0, 3).padEnd(3, '0');
  const instant = Date.parse(`${date}T${hour}:${minute}:${second}.${ms}Z`);
  if (zone === undefined || zone === 'Z') return instant;
  const [zoneHours, zoneMinutes] = zone.slice(1).split(':').map(Number) as [number, number];
  if (zoneHours > 23 || zoneMinutes > 59) return Number.NaN;
  const offset = (zone.startsWith('-') ? -1 : 1) * (zoneHours * 60 + zoneMinutes) * 60_000;
  return instant - offset;
}

/**
 * A `since` as scripts write it: a duration back from now (`90s`, `30m`, `24h`, `7d`) or an ISO
 * 8601 date or date-time (`2026-01-01T00:00:00Z`, `…+02:00`; UTC without a zone). Returns the ISO
 * date-time GraphQL's DateTime takes; anything else is INVALID_INPUT, `name` saying what was
 * given (a query parameter, a CLI option).
 */
export function parseSince(text: string, now = Date.now(), name = 'since'): string {
  const trimmed = text.trim();
  const relative = DURATION.exec(trimmed);
  if (relative) {
    const ms = Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS];
    return new Date(now - ms).toISOString();
  }
  const instant = isoInstant(trimmed);
  if (Number.isNaN(instant)) {
    throw new ApiError(
      'INVALID_INPUT',
      `Invalid ${name} ${JSON.stringify(text.slice(0, 60))}: expected a duration such as 30m, 24h, 7d or an ISO 8601 date-time such as 2026-01-01T10:00:00Z (with Z or an offset like +02:00; UTC without one)`,
    );
  }
  return new Date(instant).toISOString();
}
