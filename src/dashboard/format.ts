// How the dashboard writes times, durations and numbers.

const timeFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** `Dec 3, 14:05:09`; an em dash for no date. */
export function dateTime(iso: string | null | undefined): string {
  return iso ? timeFormat.format(new Date(iso)) : '—';
}

/** `in 2 min`, `40 s ago`. */
export function relative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const size = Math.abs(seconds);
  const amount =
    size < 60
      ? `${size} s`
      : size < 3600
        ? `${Math.round(size / 60)} min`
        : `${Math.round(size / 3600)} h`;
  return seconds >= 0 ? `in ${amount}` : `${amount} ago`;
}

/** `0.8 s`, `1 min 05 s`: rounded once, so 59.97 s is `1 min 00 s`, never `60.0 s`. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const tenths = Math.round(seconds * 10);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}

export function score(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toFixed(2);
}

export function rank(
  r: { tier: string; division: string | null; leaguePoints: number | null } | null,
) {
  if (!r) return 'Unranked';
  const tier = r.tier.charAt(0) + r.tier.slice(1).toLowerCase();
  return `${tier}${r.division ? ` ${r.division}` : ''} · ${r.leaguePoints ?? 0} LP`;
}

export const QUEUES: Record<number, string> = {
  420: 'Ranked solo/duo',
  440: 'Ranked flex',
  400: 'Normal draft',
  430: 'Normal blind',
  450: 'ARAM',
};
