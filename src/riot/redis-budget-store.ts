import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  type BudgetScope,
  type BudgetStore,
  type BudgetStoreFactory,
  type BudgetUsage,
  type ReserveResult,
  type Settlement,
  shareOf,
} from './budget-store.ts';
import { serviceOf } from './endpoints.ts';
import {
  type CountWindow,
  formatWindows,
  type LimitWindow,
  parseLimitHeader,
} from './rate-limit-headers.ts';
import { type WindowUsage, windowUsage } from './rate-limiter-usage.ts';
import { RESERVE_LUA, SETTLE_LUA } from './redis-budget-lua.ts';

export type RedisBudgetOptions = {
  /** Prefix of every key: processes that share an API key must share it, and only they. */
  keyPrefix?: string;
  /**
   * How long a request may go unanswered before its reservation counts as answered (wall-clock
   * ms, never scaled by timeScale). It must outlast the client's timeout; it frees the budget held
   * by a process that died mid-request.
   */
  leaseMs?: number;
  /**
   * How soon to look again when a pending request (maybe another process's) holds the budget
   * (wall-clock ms, never scaled by timeScale).
   */
  pollMs?: number;
};

type RedisTicket = { routing: string; method: string; id: string; sentAt: string };

/** status, refusing scope, wait, sent at, app limits, app counts, app block left, method limits, method counts */
type Reply = [number, string, string, string, string, string, string, string, string];

type Script = { lua: string; sha: string };
const script = (lua: string): Script => ({
  lua,
  sha: createHash('sha1').update(lua).digest('hex'),
});
const RESERVE = script(RESERVE_LUA);
const SETTLE = script(SETTLE_LUA);

async function run(redis: Redis, s: Script, keys: string[], args: string[]): Promise<Reply> {
  try {
    return (await redis.evalsha(s.sha, keys.length, ...keys, ...args)) as Reply;
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
    return (await redis.eval(s.lua, keys.length, ...keys, ...args)) as Reply;
  }
}

/** `limit:seconds` pairs, shortest window first: the order of the counts the scripts return. */
function limitSpec(windows: readonly LimitWindow[]): string {
  const sorted = [...windows].sort((a, b) => a.windowSeconds - b.windowSeconds);
  return formatWindows(
    sorted,
    sorted.map((w) => w.limit),
  );
}

const countSpec = (counts: CountWindow[] | null) =>
  counts
    ? formatWindows(
        counts,
        counts.map((c) => c.count),
      )
    : '';

type Seen = { app: WindowUsage[]; methods: Map<string, WindowUsage[]>; blockedUntil: number };

/**
 * A budget shared through Redis by every process using one API key: together they never exceed a
 * window. Priorities and cancellation stay with each process's queue. Its waits are real
 * milliseconds (Redis time): limiters using it run on the system clock.
 */
export function redisBudgetStore(
  redis: Redis,
  options: RedisBudgetOptions = {},
): BudgetStoreFactory {
  const prefix = options.keyPrefix ?? 'riftwatch:budget:';
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 25;
  return (context): BudgetStore<RedisTicket> => {
    const { clock, share } = context;
    const processId = randomUUID();
    let seq = 0;
    const common = [
      limitSpec(context.defaultAppLimits),
      String(share),
      String(context.scale),
      String(context.marginMs),
      String(leaseMs),
    ];
    // What usage() shows: the shared counts as of this process's latest call for the routing value.
    const seen = new Map<string, Seen>();

    const keys = (routing: string, method: string) => {
      const r = `${prefix}${routing}`;
      const m = `${r}:method:${method}`;
      return [
        `${r}:app:log`,
        `${r}:app:blocked`,
        `${prefix}app-limits`,
        `${m}:log`,
        `${m}:blocked`,
        `${m}:limits`,
        `${r}:service:${serviceOf(method)}:blocked`,
      ];
    };

    const usageOf = (limits: string, counts: string): WindowUsage[] => {
      const used = counts.split(',').map(Number);
      return shareOf(parseLimitHeader(limits) ?? [], share).map((w, i) =>
        windowUsage(w, used[i] ?? 0),
      );
    };

    function remember(routing: string, method: string, reply: Reply): void {
      const [, , , , appLimits, appCounts, blockedMs, methodLimits, methodCounts] = reply;
      let entry = seen.get(routing);
      if (!entry) {
        entry = { app: [], methods: new Map(), blockedUntil: 0 };
        seen.set(routing, entry);
      }
      entry.app = usageOf(appLimits, appCounts);
      entry.methods.set(method, usageOf(methodLimits, methodCounts));
      entry.blockedUntil = clock.now() + Number(blockedMs);
    }

    return {
      async reserve(routing, method): Promise<ReserveResult<RedisTicket>> {
        const id = `${processId}:${seq++}`;
        const reply = await run(redis, RESERVE, keys(routing, method), [...common, id]);
        remember(routing, method, reply);
        const [status, scope, wait, sentAt] = reply;
        if (status === 1) return { granted: true, ticket: { routing, method, id, sentAt } };
        const waitMs = Number(wait) < 0 ? pollMs : Number(wait);
        return { granted: false, scope: scope as BudgetScope, waitMs };
      },

      async settle(ticket, s: Settlement) {
        const { routing, method } = ticket;
        const args = [
          ...common,
          ticket.id,
          ticket.sentAt,
          s.app ? limitSpec(s.app) : '',
          Array.isArray(s.method) ? limitSpec(s.method) : (s.method ?? ''),
          countSpec(s.appCount),
          countSpec(s.methodCount),
          s.block?.scope ?? '',
          String(s.block?.ms ?? 0),
        ];
        remember(routing, method, await run(redis, SETTLE, keys(routing, method), args));
      },

      usage(routing): BudgetUsage {
        const entry = seen.get(routing);
        return {
          app: entry?.app ?? [],
          methods: Object.fromEntries(entry?.methods ?? []),
          blockedForMs: Math.max(0, (entry?.blockedUntil ?? 0) - clock.now()),
        };
      },
    };
  };
}
