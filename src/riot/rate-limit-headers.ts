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

function parsePairs(value: string | null | undefined): Array<[number, number]> | null {
  if (!value) return null;
  const pairs: Array<[number, number]> = [];
  for (const part of value.split(',')) {
    const match = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(part);
    if (!match) continue;
    const first = Number(match[1]);
    const seconds = Number(match[2]);
    if (seconds > 0) pairs.push([first, seconds]);
  }
  // Windows are kept shortest first whatever order Riot sent them in (2025 sends long-first).
  return pairs.length > 0 ? pairs.sort((a, b) => a[1] - b[1]) : null;
}

export function parseLimitHeader(value: string | null | undefined): LimitWindow[] | null {
  return (
    parsePairs(value)
      ?.filter(([limit]) => limit > 0)
      .map(([limit, windowSeconds]) => ({ limit, windowSeconds })) ?? null
  );
}

export function parseCountHeader(value: string | null | undefined): CountWindow[] | null {
  return parsePairs(value)?.map(([count, windowSeconds]) => ({ count, windowSeconds })) ?? null;
}

export type RateLimitHeaders = {
  app: LimitWindow[] | null;
  appCount: CountWindow[] | null;
  method: LimitWindow[] | null;
  methodCount: CountWindow[] | null;
  /** Lower-cased `X-Rate-Limit-Type`, null when absent (Riot: the 429 came from the service). */
  limitType: string | null;
  /** `Retry-After` in seconds, null when absent or unparseable. */
  retryAfterSeconds: number | null;
};

export function readRateLimitHeaders(headers: HeaderSource): RateLimitHeaders {
  const retryAfter = headers.get('retry-after');
  const seconds = retryAfter === null ? Number.NaN : Number(retryAfter.trim());
  return {
    app: parseLimitHeader(headers.get('x-app-rate-limit')),
    appCount: parseCountHeader(headers.get('x-app-rate-limit-count')),
    method: parseLimitHeader(headers.get('x-method-rate-limit')),
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
