import { describe, expect, it } from 'vitest';
import { RequestLog, type Reservation } from '../../../src/riot/request-log.ts';
import { rng } from './limiter-helpers.ts';

/** The log's meaning, by brute force over every entry. */
function model(entries: Reservation[], limit: number, windowMs: number, now: number) {
  const expiries = entries
    .map((e) => (e.doneAt === null ? Number.POSITIVE_INFINITY : e.doneAt + windowMs))
    .filter((at) => at > now)
    .sort((a, b) => a - b);
  const freeAt = expiries.length < limit ? now : (expiries[expiries.length - limit] ?? now);
  return { count: expiries.length, freeAt };
}

describe('request log', () => {
  it('counts and finds the next free slot as a scan of every entry would, while pruning', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = rng(seed);
      const log = new RequestLog();
      const all: Reservation[] = [];
      const open: Reservation[] = [];
      let now = 0;
      for (let step = 0; step < 3000; step++) {
        now += Math.floor(random() * 20);
        const roll = random();
        if (roll < 0.45) {
          const r = log.reserve(now);
          all.push(r);
          open.push(r);
        } else if (roll < 0.9 && open.length > 0) {
          const [r] = open.splice(Math.floor(random() * open.length), 1);
          if (r) log.complete(r, now);
        } else if (roll < 0.93) {
          const n = Math.floor(random() * 5);
          log.addPhantom(now, n);
          for (let i = 0; i < n; i++) all.push({ sentAt: now, doneAt: now });
        }
        log.prune(1000, 0, now);
        for (const [limit, windowMs] of [
          [5, 100],
          [40, 1000],
        ] as const) {
          const expected = model(all, limit, windowMs, now);
          expect(log.count(windowMs, 0, now)).toBe(expected.count);
          expect(log.freeAt(limit, windowMs, 0, now)).toBe(expected.freeAt);
        }
        expect(log.pending()).toBe(open.length);
      }
    }
  });
});
