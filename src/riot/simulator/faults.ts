import type { RiotMethod } from '../endpoints.ts';

export type Fault =
  /**
   * A 429 of that `X-Rate-Limit-Type`; `retryAfterSeconds: null` sends no Retry-After;
   * `cutBody`: the connection drops halfway through the body, after the headers.
   */
  | {
      kind: 'rate-limit';
      type: 'application' | 'method' | 'service' | 'server' | (string & {});
      retryAfterSeconds?: number | null;
      cutBody?: boolean;
    }
  /** An error status with Riot's body (500, 502, 503, 504, 400, 401, 403, 404). */
  | { kind: 'status'; status: number; message?: string }
  /** Answer normally, `ms` (real) later. */
  | { kind: 'delay'; ms: number }
  /** Destroy the connection without an answer. */
  | { kind: 'reset' }
  /** 200 with a truncated JSON body. */
  | { kind: 'malformed-json' };

export type FaultTarget = {
  /** A method id (see RIOT_METHODS) or '*' for every endpoint. */
  method?: RiotMethod | '*';
  routing?: string;
  /** Only requests whose path ends with this (a match id, a PUUID's listing `…/ids`). */
  pathEndsWith?: string;
  /** How many matching requests it affects (default: until cleared). */
  times?: number;
};

type Rule = {
  fault: Fault;
  method: string;
  routing: string | undefined;
  pathEndsWith: string | undefined;
  remaining: number;
};

export type Faults = ReturnType<typeof createFaults>;

export function createFaults() {
  let rules: Rule[] = [];
  let keyExpired = false;
  return {
    inject(fault: Fault, target: FaultTarget = {}): () => void {
      const rule = {
        fault,
        method: target.method ?? '*',
        routing: target.routing,
        pathEndsWith: target.pathEndsWith,
        remaining: target.times ?? Number.POSITIVE_INFINITY,
      };
      rules.push(rule);
      return () => {
        rules = rules.filter((r) => r !== rule);
      };
    },
    clear(): void {
      rules = [];
      keyExpired = false;
    },
    /** Every request answers 403 (an expired dev key) until `restoreKey()` or `clear()`. */
    expireKey(): void {
      keyExpired = true;
    },
    restoreKey(): void {
      keyExpired = false;
    },
    get keyExpired() {
      return keyExpired;
    },
    /** The delay (if any) and the first other fault that applies to this request, consuming them. */
    take(
      method: RiotMethod,
      routing: string,
      path = '',
    ): { delayMs: number; fault: Exclude<Fault, { kind: 'delay' }> | null } {
      let delayMs = 0;
      let fault: Exclude<Fault, { kind: 'delay' }> | null = null;
      for (const rule of rules) {
        if (rule.remaining <= 0 || (rule.method !== '*' && rule.method !== method)) continue;
        if (rule.routing !== undefined && rule.routing !== routing) continue;
        if (rule.pathEndsWith !== undefined && !path.endsWith(rule.pathEndsWith)) continue;
        if (rule.fault.kind === 'delay') {
          delayMs += rule.fault.ms;
          rule.remaining--;
        } else if (fault === null) {
          fault = rule.fault;
          rule.remaining--;
        }
      }
      rules = rules.filter((r) => r.remaining > 0);
      return { delayMs, fault };
    },
  };
}
