/** Riot's rate-limit headers: `X-App-Rate-Limit: 20:1,100:120` and `-Count: 1:1,1:120`. */

export type LimitWindow = { limit: number; windowSeconds: number };
export type CountWindow = { count: number; windowSeconds: number };

/** The dev key's app limits, used for a routing value before its first answer. */
export const DEV_KEY_APP_LIMITS: readonly LimitWindow[] = [
  { limit: 20, windowSeconds: 1 },
  { limit: 100, windowSeconds: 120 },
];

/** A minimal view of response headers (fetch `Headers`, or a test double). */
export type HeaderSource = { get(name: string): string | null };

/** Longest window and Retry-After we believe (Riot's longest windows are minutes, not days). */
const MAX_WINDOW_SECONDS = 86_400;
const MAX_RETRY_AFTER_SECONDS = 3_600;

/**
 * `limit:seconds` pairs, or null when the header is absent or any entry is malformed: a list
 * missing one window would otherwise replace the known windows and drop that limit.
 */
function parsePairs(value: string | null | undefined): Array<[number, number]> | null {
  if (!value) return null;
  const pairs: Array<[number, number]> = [];
  for (const part of value.split(',')) {
    const match = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(part);
    if (!match) return null;
    const first = Number(match[1]);
    const seconds = Number(match[2]);
    if (seconds <= 0 || seconds > MAX_WINDOW_SECONDS) return null;
    pairs.push([first, seconds]);
  }
  // Windows are kept shortest first whatever order Riot sent them in (2025 sends long-first).
  return pairs.sort((a, b) => a[1] - b[1]);
}

/** A limit of 0 is no usable limit (it cannot mean "unlimited" either): the header is ignored. */
export function parseLimitHeader(value: string | null | undefined): LimitWindow[] | null {
  const pairs = parsePairs(value);
  if (!pairs || pairs.some(([limit]) => limit <= 0)) return null;
  return pairs.map(([limit, windowSeconds]) => ({ limit, windowSeconds }));
}

export function parseCountHeader(value: string | null | undefined): CountWindow[] | null {
  return parsePairs(value)?.map(([count, windowSeconds]) => ({ count, windowSeconds })) ?? null;
}

export type RateLimitHeaders = {
  app: LimitWindow[] | null;
  appCount: CountWindow[] | null;
  method: LimitWindow[] | null;
  /** Whether `X-Method-Rate-Limit` was sent at all: an unreadable one is not "no limits". */
  methodSent: boolean;
  methodCount: CountWindow[] | null;
  /** Lower-cased `X-Rate-Limit-Type`, null when absent (Riot: the 429 came from the service). */
  limitType: string | null;
  /** `Retry-After` in seconds (at most MAX_RETRY_AFTER_SECONDS), null when absent or unparseable. */
  retryAfterSeconds: number | null;
};

/** `Retry-After` as delta-seconds (Riot's form) or an HTTP-date; NaN when it is neither. */
function retryAfterSeconds(value: string, now: number): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Math.min(Number(value), MAX_RETRY_AFTER_SECONDS);
  // Date.parse also reads bare numbers and other forms: an HTTP-date names its weekday.
  const at = /^[A-Za-z]{3}, /.test(value) ? Date.parse(value) : Number.NaN;
  return Math.min(Math.max(0, Math.ceil((at - now) / 1000)), MAX_RETRY_AFTER_SECONDS);
}

export function readRateLimitHeaders(headers: HeaderSource, now = Date.now()): RateLimitHeaders {
  const seconds = retryAfterSeconds(headers.get('retry-after')?.trim() ?? '', now);
  const method = headers.get('x-method-rate-limit');
  return {
    app: parseLimitHeader(headers.get('x-app-rate-limit')),
    appCount: parseCountHeader(headers.get('x-app-rate-limit-count')),
    method: parseLimitHeader(method),
    methodSent: method !== null,
    methodCount: parseCountHeader(headers.get('x-method-rate-limit-count')),
    limitType: headers.get('x-rate-limit-type')?.trim().toLowerCase() || null,
    retryAfterSeconds: Number.isFinite(seconds) && seconds >= 0 ? seconds : null,
  };
}

export function formatWindows(
  windows: ReadonlyArray<{ windowSeconds: number }>,
  values: number[],
): string {
  return windows.map((w, i) => `${values[i] ?? 0}:${w.windowSeconds}`).join(',');
}
