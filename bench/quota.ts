/**
 * Quota benchmark: many concurrent callers against the simulator with time-scaled dev-key limits.
 * Run: node --import tsx bench/quota.ts [--scale 0.02] [--windows 6] [--callers 64]
 *   [--processes N] [--redis redis://127.0.0.1:6379] [--share 0.5]
 * With --processes, the callers are spread over N limiters on the one key, as N riftwatch
 * processes would be: sharing the budget through Redis with --redis, else each with --share of it
 * (each with the whole key when neither is given: the over-subscription this guards against).
 * Queueing delays are printed in Riot time (measured ÷ time scale: the wait at unscaled limits),
 * round trips as measured. Exits 1 when it fails (also on SIGINT/SIGTERM), after stopping the
 * simulator and deleting its Redis keys.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { createRiotClient, type RiotClient } from '../src/riot/client.ts';
import { RiotRateLimitedError } from '../src/riot/errors.ts';
import { createRateLimiter } from '../src/riot/rate-limiter.ts';
import { redisBudgetStore } from '../src/riot/redis-budget-store.ts';
import { startSimulator } from '../src/riot/simulator/index.ts';
import { runBench } from './bench-run.ts';
import { greedyMax, peakInWindow, percentile } from './quota-math.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '0.02' },
    windows: { type: 'string', default: '6' },
    callers: { type: 'string', default: '64' },
    processes: { type: 'string', default: '1' },
    redis: { type: 'string' },
    share: { type: 'string', default: '1' },
  },
});
const scale = Number(values.scale);
const longWindows = Number(values.windows);
const callers = Number(values.callers);
const processes = Number(values.processes);
const budgetShare = Number(values.share);

await runBench('quota bench', async (defer) => {
  const simulator = await startSimulator({
    seed: 1,
    timeScale: scale,
    recordAccepted: true,
    world: { playersPerPlatform: 20, historySlots: 20 },
  });
  defer(() => simulator.stop());
  const redis = values.redis ? new Redis(values.redis) : null;
  const keyPrefix = `riftwatch-bench:${randomBytes(6).toString('hex')}:`;
  if (redis) {
    defer(async () => {
      try {
        const keys = await redis.keys(`${keyPrefix}*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    });
  }
  const queued: number[] = [];
  const latency: number[] = [];
  const statuses = new Map<string, number>();
  const clients = Array.from({ length: processes }, () =>
    createRiotClient({
      baseUrl: simulator.baseUrlTemplate,
      apiKey: simulator.apiKey,
      limiter: createRateLimiter({
        timeScale: scale,
        budgetShare,
        ...(redis && { budget: redisBudgetStore(redis, { keyPrefix }) }),
      }),
      maxRetries: 3,
      onRequest: (info) => {
        queued.push(info.queuedMs); // measured; ÷ scale below gives Riot time
        latency.push(info.durationMs);
        const key = String(info.status);
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
      },
    }),
  );
  const [client] = clients as [RiotClient];

  const euw = simulator.world.trackable(10, 'euw1');
  const matchIds = (
    await client.getMatchIdsByPuuid('europe', euw[0]?.puuid ?? '', { count: 100 })
  ).slice(0, 50);
  // Let the warm-up's windows drain so the measured run starts from an empty budget.
  await new Promise((resolve) => setTimeout(resolve, 120_000 * scale + 50));

  const durationMs = longWindows * 120_000 * scale;
  const controller = new AbortController();
  setMaxListeners(0, controller.signal); // every caller waits on the same signal
  const scopedClients = clients.map((c) =>
    c.scoped({ priority: 'background', signal: controller.signal }),
  );
  const start = performance.now();
  let i = 0;
  // Two routing values, each with its own budget: euw1 (summoner, league) and europe (match-v5).
  // Each caller stays on one routing value: callers that pick work at random all end up waiting in
  // whichever queue is blocked, and the other value runs out of demand (measured: 75-87 % there).
  const work = (scoped: RiotClient) => ({
    euw1: [
      () => scoped.getSummonerByPuuid('euw1', euw[i++ % euw.length]?.puuid ?? ''),
      () => scoped.getLeagueEntriesByPuuid('euw1', euw[i++ % euw.length]?.puuid ?? ''),
    ],
    europe: [
      () => scoped.getMatch(matchIds[i++ % matchIds.length] ?? ''),
      () => scoped.getMatchIdsByPuuid('europe', euw[i++ % euw.length]?.puuid ?? '', { count: 20 }),
    ],
  });
  const timer = setTimeout(() => controller.abort(new Error('bench over')), durationMs);
  try {
    await Promise.all(
      Array.from({ length: callers }, async (_, c) => {
        // Each process gets callers on both routing values.
        const own = work(scopedClients[Math.floor(c / 2) % processes] as RiotClient);
        const mine = c % 2 === 0 ? own.euw1 : own.europe;
        for (let n = 0; !controller.signal.aborted; n++) {
          await (mine[n % mine.length] as () => Promise<unknown>)().catch((error: unknown) => {
            // Refused after its retries: counted below (only over-subscribed limiters get there).
            if (!controller.signal.aborted && !(error instanceof RiotRateLimitedError)) throw error;
          });
        }
      }),
    );
  } finally {
    clearTimeout(timer);
    controller.abort(new Error('bench over')); // a failed caller stops the others
  }

  const windows = [
    { limit: 20, seconds: 1 },
    { limit: 100, seconds: 120 },
  ];
  const allowed = greedyMax(
    windows.map((w) => ({ limit: w.limit, ms: w.seconds * 1000 * scale })),
    durationMs,
  );
  const budget = redis ? 'sharing Redis' : `each with share ${budgetShare}`;
  console.log(
    `quota bench: dev-key limits 20/1 s + 100/120 s per routing value, time scale ${scale} (120 s → ${120 * scale} s), ${longWindows} long windows (${(durationMs / 1000).toFixed(1)} s), ${callers} concurrent callers over ${processes} limiter(s) ${budget}`,
  );
  let allOk = true;
  for (const routing of ['euw1', 'europe']) {
    const times = simulator
      .acceptedTimes(routing)
      .filter((t) => t >= start && t < start + durationMs);
    const peaks = windows.map(
      (w) => `${peakInWindow(times, w.seconds * 1000 * scale)}/${w.limit} per ${w.seconds} s`,
    );
    const utilisation = (100 * times.length) / allowed;
    allOk &&= utilisation >= 97;
    console.log(
      `  ${routing.padEnd(7)} sent ${times.length} / allowed ${allowed} → utilisation ${utilisation.toFixed(1)} %; peak in any sliding window: ${peaks.join(', ')}`,
    );
  }
  const stats = simulator.stats();
  const exceeded = stats.limitExceeded.application + stats.limitExceeded.method;
  console.log(
    `  HTTP attempts ${[...statuses.values()].reduce((a, b) => a + b, 0)} (by status ${JSON.stringify(Object.fromEntries(statuses))}); 429 from the simulator: ${exceeded}`,
  );
  // The queueing delay follows the scaled windows: ÷ scale, it is what the unscaled limits would
  // make a caller wait. The round trip does not scale: it is as measured.
  const riotSeconds = (ms: number) => (ms / scale / 1000).toFixed(2);
  console.log(
    `  queueing delay (Riot time: measured ÷ time scale ${scale}): p50 ${riotSeconds(percentile(queued, 50))} s, p99 ${riotSeconds(percentile(queued, 99))} s, max ${riotSeconds(Math.max(...queued))} s`,
  );
  console.log(
    `  HTTP round trip (as measured, not scaled): p50 ${percentile(latency, 50).toFixed(1)} ms, p99 ${percentile(latency, 99).toFixed(1)} ms`,
  );
  console.log(
    `  target ≥ 97 % utilisation and 0 × 429: ${allOk && exceeded === 0 ? 'met' : 'NOT met'}`,
  );
});
