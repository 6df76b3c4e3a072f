/** Helpers for bench/quota.ts: what the limits allow at best, and what was measured. */
export type Window = { limit: number; ms: number };

/** The most requests any schedule could get accepted in [0, durationMs): greedy, zero latency. */
export function greedyMax(windows: Window[], durationMs: number): number {
  const sent: number[] = [];
  let t = 0;
  for (;;) {
    let moved = true;
    while (moved) {
      moved = false;
      for (const w of windows) {
        const n = sent.length;
        const inWindow = n - lowerBound(sent, t - w.ms);
        if (inWindow >= w.limit) {
          const next = (sent[n - w.limit] as number) + w.ms;
          if (next > t) {
            t = next;
            moved = true;
          }
        }
      }
    }
    if (t >= durationMs) return sent.length;
    sent.push(t);
  }
}

/** Index of the first element > x in a sorted array. */
function lowerBound(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Largest number of requests inside any sliding window (a - ms, a]. */
export function peakInWindow(times: readonly number[], ms: number): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while ((times[lo] as number) <= (times[hi] as number) - ms) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
