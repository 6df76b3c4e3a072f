import { TokenBucket } from 'limiter';
import { RateLimitedError, RequestShapeError } from './request-errors.ts';

export type ThrottleSettings = { burst: number; perMinute: number };

export const DEFAULT_THROTTLE: ThrottleSettings = { burst: 30, perMinute: 60 };

/** Beyond this many callers, full (idle) buckets are dropped first: memory stays bounded. */
const MAX_CALLERS = 10_000;

/**
 * A token bucket per caller for mutations: `burst` at once, then `perMinute` refilled. One
 * token per mutation field, so aliasing many triggers into one document costs as many.
 */
export function createMutationThrottle(settings: ThrottleSettings = DEFAULT_THROTTLE) {
  const buckets = new Map<string, TokenBucket>();
  const bucketFor = (key: string) => {
    let bucket = buckets.get(key);
    if (!bucket) {
      if (buckets.size >= MAX_CALLERS) evict();
      bucket = new TokenBucket({
        bucketSize: settings.burst,
        tokensPerInterval: settings.perMinute,
        interval: 'minute',
      });
      // limiter's buckets start empty; a new caller starts with its whole burst.
      bucket.content = settings.burst;
      buckets.set(key, bucket);
    }
    return bucket;
  };
  const evict = () => {
    for (const [key, bucket] of buckets) {
      bucket.drip();
      if (bucket.content >= bucket.bucketSize) buckets.delete(key);
    }
    // Everyone is busy: the oldest caller loses its state (Map keeps insertion order).
    if (buckets.size >= MAX_CALLERS) buckets.delete(buckets.keys().next().value as string);
  };
  return {
    /** Takes `count` tokens from `key`'s bucket, or throws RateLimitedError (none taken). */
    take(key: string, count = 1): void {
      const bucket = bucketFor(key);
      if (count > settings.burst) {
        throw new RequestShapeError(`A request may hold at most ${settings.burst} mutations`);
      }
      if (bucket.tryRemoveTokens(count)) return;
      throw new RateLimitedError(Math.max(1, Math.ceil(bucket.getWaitTime(count) / 1000)));
    },
  };
}

export type MutationThrottle = ReturnType<typeof createMutationThrottle>;
