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

/**
 * Answered requests are kept by answer time (answers arrive in clock order), so a window's count
 * and its next free slot are a binary search away, and expired entries leave from the front.
 */
export class RequestLog {
  private pendingCount = 0;
  /** Answer times, ascending, from `head` on (the entries before it have left every window). */
  private done: number[] = [];
  private head = 0;

  reserve(now: number): Reservation {
    this.pendingCount++;
    return { sentAt: now, doneAt: null };
  }

  /** The request is answered (or will never be): it leaves its windows `windowMs` after `now`. */
  complete(reservation: Reservation, now: number): void {
    if (reservation.doneAt !== null) return;
    reservation.doneAt = now;
    this.pendingCount--;
    this.add(now, 1);
  }

  /** Requests Riot counted that we never saw (another process, a restart): assume they were just made. */
  addPhantom(now: number, count: number): void {
    this.add(now, count);
  }

  pending(): number {
    return this.pendingCount;
  }

  count(windowMs: number, marginMs: number, now: number): number {
    return this.pendingCount + this.done.length - this.firstAfter(now - windowMs - marginMs);
  }

  /** When one more request fits under `limit` in this window: `now`, a later time, or Infinity (a pending request must finish first). */
  freeAt(limit: number, windowMs: number, marginMs: number, now: number): number {
    const first = this.firstAfter(now - windowMs - marginMs);
    const answered = this.done.length - first;
    if (answered + this.pendingCount < limit) return now;
    // Pending requests expire last (never, until answered): the slot frees when the answered
    // entry `limit` places from the end of the sorted expiries leaves, if there is one.
    const index = answered + this.pendingCount - limit;
    if (index >= answered) return Number.POSITIVE_INFINITY;
    return (this.done[first + index] as number) + windowMs + marginMs;
  }

  prune(longestWindowMs: number, marginMs: number, now: number): void {
    this.head = this.firstAfter(now - longestWindowMs - marginMs);
    // Drop the expired front once it outweighs the rest: amortised, no copy per settle.
    if (this.head >= 1024 && this.head * 2 >= this.done.length) {
      this.done = this.done.slice(this.head);
      this.head = 0;
    }
  }

  private add(at: number, count: number): void {
    let i = this.done.length;
    while (i > this.head && (this.done[i - 1] as number) > at) i--;
    if (i === this.done.length) for (let n = 0; n < count; n++) this.done.push(at);
    else
      this.done = this.done
        .slice(0, i)
        .concat(new Array<number>(count).fill(at), this.done.slice(i));
  }

  /** Index of the first answered entry still in a window that started at `since` (answered after it). */
  private firstAfter(since: number): number {
    let lo = this.head;
    let hi = this.done.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.done[mid] as number) > since) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
