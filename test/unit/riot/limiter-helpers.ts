import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../../../src/logger.ts';
import type { HeaderSource } from '../../../src/riot/rate-limit-headers.ts';

export function headers(values: Record<string, string>): HeaderSource {
  const lower = new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
  return { get: (name) => lower.get(name.toLowerCase()) ?? null };
}

export function capturingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/** Resolves once pino's stream has flushed what was logged so far. */
export const flushLogs = () => new Promise((resolve) => setImmediate(resolve));

/** A small deterministic PRNG (mulberry32) for property-style schedules. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
