import { ApiError } from './errors.ts';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * A `since` as scripts write it: an ISO date-time (`2026-01-01T00:00:00Z`; UTC without a zone)
 * or a duration back from now (`90s`, `30m`, `24h`, `7d`). Returns the ISO date-time GraphQL's DateTime takes.
 */
export function parseSince(text: string, now = Date.now()): string {
  const relative = /^(\d{1,6})([smhd])$/.exec(text.trim());
  if (relative) {
    const ms = Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS];
    return new Date(now - ms).toISOString();
  }
  // A date-time without a zone is UTC, as a date alone is (JavaScript would read it as local).
  const unzoned = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/.exec(text.trim());
  const parsed = Date.parse(unzoned ? `${unzoned[1]}T${unzoned[2]}Z` : text);
  const day = /^\d{4}-\d{2}-\d{2}/.exec(text)?.[0];
  // Date.parse rolls a day that does not exist over (2024-02-30 is read as March 1st).
  const midnight = new Date(`${day}T00:00:00Z`);
  const exists =
    day !== undefined &&
    !Number.isNaN(midnight.getTime()) &&
    midnight.toISOString().startsWith(day);
  if (!exists || Number.isNaN(parsed)) {
    throw new ApiError(
      'INVALID_INPUT',
      `Invalid since ${JSON.stringify(text.slice(0, 60))}: expected an ISO date-time or a duration such as 30m, 24h, 7d`,
    );
  }
  return new Date(parsed).toISOString();
}
