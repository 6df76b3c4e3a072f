import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  parseCountHeader,
  parseLimitHeader,
  readRateLimitHeaders,
} from '../../../src/riot/rate-limit-headers.ts';
import { headers } from './limiter-helpers.ts';

describe('rate-limit headers', () => {
  it('parses limits in either window order, shortest window first', () => {
    const expected = [
      { limit: 20, windowSeconds: 1 },
      { limit: 100, windowSeconds: 120 },
    ];
    expect(parseLimitHeader('20:1,100:120')).toEqual(expected);
    expect(parseLimitHeader('100:120,20:1')).toEqual(expected);
    expect(parseLimitHeader(' 100:120 , 20:1 ')).toEqual(expected);
  });

  it('parses counts in either order', () => {
    expect(parseCountHeader('7:120,2:1')).toEqual([
      { count: 2, windowSeconds: 1 },
      { count: 7, windowSeconds: 120 },
    ]);
    expect(parseCountHeader('0:10')).toEqual([{ count: 0, windowSeconds: 10 }]);
  });

  it('ignores absent and malformed values', () => {
    expect(parseLimitHeader(null)).toBeNull();
    expect(parseLimitHeader('')).toBeNull();
    expect(parseLimitHeader('abc,:5,5:0')).toBeNull();
    // One bad entry voids the header: a shorter list would replace the known windows.
    expect(parseLimitHeader('x,500:10')).toBeNull();
    expect(parseLimitHeader('20:1,100:120s')).toBeNull();
    expect(parseLimitHeader('20:1,100:120.0')).toBeNull();
    expect(parseLimitHeader('0:1')).toBeNull();
    expect(parseLimitHeader('20:1,100:99999999999')).toBeNull();
  });

  it('reads Retry-After as delta-seconds or an HTTP-date, capped at an hour', () => {
    const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
    const retryAfter = (value: string) =>
      readRateLimitHeaders(headers({ 'Retry-After': value }), now).retryAfterSeconds;
    expect(retryAfter('7')).toBe(7);
    expect(retryAfter(' 1.5 ')).toBe(1.5);
    expect(retryAfter('')).toBeNull();
    expect(retryAfter('  ')).toBeNull();
    expect(retryAfter('Wed, 21 Oct 2026 07:28:05 GMT')).toBe(5);
    expect(retryAfter('Wed, 21 Oct 2026 07:27:00 GMT')).toBe(0);
    expect(retryAfter('Thu, 22 Oct 2026 07:28:00 GMT')).toBe(3600);
    expect(retryAfter('Wed, 99 Oct 2026 07:28:00 GMT')).toBeNull();
    expect(retryAfter('2026-10-21T07:28:05Z')).toBeNull();
    expect(retryAfter('-3')).toBeNull();
    expect(retryAfter('2147484')).toBe(3600);
  });

  it('reads a real 429 (2020) with type, Retry-After and counts', () => {
    const parsed = readRateLimitHeaders(
      headers({
        'Retry-After': '2',
        'X-App-Rate-Limit': '20:1,100:120',
        'X-App-Rate-Limit-Count': '21:1,36:120',
        'X-Method-Rate-Limit': '2000:60',
        'X-Method-Rate-Limit-Count': '36:60',
        'X-Rate-Limit-Type': 'application',
      }),
    );
    expect(parsed.limitType).toBe('application');
    expect(parsed.retryAfterSeconds).toBe(2);
    expect(parsed.appCount).toEqual([
      { count: 21, windowSeconds: 1 },
      { count: 36, windowSeconds: 120 },
    ]);
    expect(parsed.method).toEqual([{ limit: 2000, windowSeconds: 60 }]);
  });

  it('reads lower-case 2025 headers and a missing Retry-After / type', () => {
    const parsed = readRateLimitHeaders(
      headers({ 'x-app-rate-limit': '100:120,20:1', 'x-rate-limit-type': 'SERVER' }),
    );
    expect(parsed.app?.[0]).toEqual({ limit: 20, windowSeconds: 1 });
    expect(parsed.limitType).toBe('server');
    expect(parsed.retryAfterSeconds).toBeNull();
    expect(readRateLimitHeaders(headers({})).limitType).toBeNull();
  });

  it('reads the header captures in test/fixtures', () => {
    for (const name of [
      '200_match-v5_ids-by-puuid_europe_2021',
      '404_third-party-code_EUW1_2021_empty-body',
    ]) {
      const file = new URL(`../../fixtures/riot/headers/${name}.json`, import.meta.url);
      const capture = JSON.parse(readFileSync(file, 'utf8')) as { headers: [string, string][] };
      const parsed = readRateLimitHeaders(headers(Object.fromEntries(capture.headers)));
      expect(parsed.app).toEqual([
        { limit: 20, windowSeconds: 1 },
        { limit: 100, windowSeconds: 120 },
      ]);
      expect(parsed.method?.length).toBe(1);
      expect(parsed.appCount?.every((c) => c.count >= 1)).toBe(true);
    }
  });
});
