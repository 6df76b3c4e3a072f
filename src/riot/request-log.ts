/**
 * The sliding log behind the limiter. We keep our own accounting instead of `limiter`'s
 * TokenBucket/RateLimiter because those refill on fixed intervals: measurements showed every
 * fixed-window or token-bucket setup exceeding Riot's two sliding windows by up to 2×.
 *
 * Riot counts a request at some instant between our send and its response, with an undocumented
 * window alignment. So a request occupies a window from the moment it is reserved (just before it
 * is sent) until `windowMs` after its response arrived (+ a margin), and a pending request occupies
 * every window. For any two requests that Riot counted less than `windowMs` apart, the later-reserved
 * one therefore saw the earlier one: no sliding window can ever exceed its limit.
 */
export type Reservation = { sentAt: number; doneAt: number | null };

export class RequestLog {
  private entries: Reservation[] = [];

  reserve(now: number): Reservation {
    const entry = { sentAt: now, doneAt: null };
    this.entries.push(entry);
    return entry;
  }

  /** Requests Riot counted that we never saw (another process, a restart): assume they were just made. */
  addPhantom(now: number, count: number): void {
    for (let i = 0; i < count; i++) this.entries.push({ sentAt: now, doneAt: now });
  }

  pending(): number {
    return this.entries.filter((e) => e.doneAt === null).length;
  }

  private expiry(entry: Reservation, windowMs: number, marginMs: number): number {
    return entry.doneAt === null ? Number.POSITIVE_INFINITY : entry.doneAt + windowMs + marginMs;
  }

  count(windowMs: number, marginMs: number, now: number): number {
    let n = 0;
    for (const e of this.entries) if (this.expiry(e, windowMs, marginMs) > now) n++;
    return n;
  }

  /** When one more request fits under `limit` in this window: `now`, a later time, or Infinity (a pending request must finish first). */
  freeAt(limit: number, windowMs: number, marginMs: number, now: number): number {
    const expiries: number[] = [];
    for (const e of this.entries) {
      const at = this.expiry(e, windowMs, marginMs);
      if (at > now) expiries.push(at);
    }
    if (expiries.length < limit) return now;
    expiries.sort((a, b) => a - b);
    return expiries[expiries.length - limit] ?? now;
  }

  prune(longestWindowMs: number, marginMs: number, now: number): void {
    if (this.entries.length < 64) return;
    this.entries = this.entries.filter((e) => this.expiry(e, longestWindowMs, marginMs) > now);
  }
}
