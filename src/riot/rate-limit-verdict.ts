import type { Settlement } from './budget-store.ts';
import type { RateLimitType } from './errors.ts';
import type { RateLimitHeaders } from './rate-limit-headers.ts';

export type RateLimitVerdict = { retryAfterMs: number; limitType: RateLimitType };

/** Clock ms: Retry-After margin, and the waits when a 429 carries no Retry-After. */
export type RetryTiming = {
  scale: number;
  retryAfterMarginMs: number;
  fallbackMs: number;
  fallbackUnknownMs: number;
};

export function verdictOf(parsed: RateLimitHeaders | null, timing: RetryTiming): RateLimitVerdict {
  // Riot: no X-Rate-Limit-Type means the underlying service refused, not the edge.
  const limitType = parsed?.limitType ?? 'service';
  const known = limitType === 'application' || limitType === 'method' || limitType === 'service';
  const retryAfterMs =
    parsed?.retryAfterSeconds != null
      ? parsed.retryAfterSeconds * 1000 * timing.scale + timing.retryAfterMarginMs
      : known
        ? timing.fallbackMs
        : timing.fallbackUnknownMs;
  return { retryAfterMs, limitType };
}

/** What the store records when a request is over. */
export function settlementOf(
  status: number | null,
  parsed: RateLimitHeaders | null,
  verdict: RateLimitVerdict | null,
): Settlement {
  // A success with app limits and no method limits header: the edge sets none for this method.
  // (A 429 or an error may lack them although the method has limits; a header we cannot read
  // leaves the method's limits unknown, probed one request at a time.)
  const noMethodLimits = parsed?.app && !parsed.methodSent && status !== null && status < 300;
  return {
    app: parsed?.app ?? null,
    method: parsed?.method ?? (noMethodLimits ? 'none' : null),
    appCount: parsed?.appCount ?? null,
    methodCount: parsed?.methodCount ?? null,
    // application and unknown types (e.g. `server`) stop the whole routing value; a service limit
    // covers every endpoint of that service in the routing value; a method limit only the endpoint.
    block: verdict && { scope: blockScopeOf(verdict.limitType), ms: verdict.retryAfterMs },
  };
}

export function blockScopeOf(limitType: RateLimitType): 'app' | 'service' | 'method' {
  if (limitType === 'method') return 'method';
  return limitType === 'service' ? 'service' : 'app';
}
