/**
 * Updater benchmark: the real tracked_player_updater (its handler, as the engine runs it) against
 * the simulator with time-scaled dev-key limits, 10 tracked players, a world that plays on between
 * runs; runs follow each other while work is pending. A run that gets nothing done
 * (NothingDoneError) is counted as failed, as the engine records it, and the next run goes on.
 * The world starts in the past by every slot the phases play, so no game ends in the future.
 * Needs PostgreSQL (DATABASE_URL, else an embedded one); exits 1 when it fails (also on
 * SIGINT/SIGTERM), after dropping its database and stopping the simulator.
 * Run: node --import tsx bench/updater.ts [--scale 0.05] [--backlog-slots 300] [--cycles 4]
 *      [--cycle-slots 40]
 */
import { parseArgs } from 'node:util';
import type { PrismaClient } from '../src/db/prisma.ts';
import { createRiotClient } from '../src/riot/client.ts';
import { createRateLimiter } from '../src/riot/rate-limiter.ts';
import { type Simulator, startSimulator } from '../src/riot/simulator/index.ts';
import { createBenchDatabase } from './bench-db.ts';
import { runBench } from './bench-run.ts';
import { greedyMax } from './quota-math.ts';
import { backlog, runUpdater, storedMatches } from './updater-run.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '0.05' },
    'backlog-slots': { type: 'string', default: '300' },
    cycles: { type: 'string', default: '4' },
    'cycle-slots': { type: 'string', default: '40' },
  },
});
const scale = Number(values.scale);
const longWindowMs = 120_000 * scale;
const timeoutMs = 90_000 * scale; // JOB_TIMEOUT_SECONDS' default, scaled like the limits

const slotMinutes = 40;
const slotMs = slotMinutes * 60_000;
// The world starts that many slots in the past, every slot the phases advance it by: its games
// end by now at the latest (the match store refuses one more than a day ahead).
const slotsPlayed =
  Number(values['backlog-slots']) + Number(values.cycles) * Number(values['cycle-slots']);

await runBench('updater bench', async (defer) => {
  const simulator = await startSimulator({
    seed: 3,
    timeScale: scale,
    recordAccepted: true,
    world: {
      platforms: ['euw1'],
      playersPerPlatform: 400,
      historySlots: 60,
      speed: 0,
      slotMinutes,
      presentMs: (Math.floor(Date.now() / slotMs) - slotsPlayed - 1) * slotMs,
    },
  });
  defer(() => simulator.stop());
  const db = await createBenchDatabase('rw_bench_updater');
  defer(() => db.drop());
  await run(simulator, db.prisma);
});

type Measured = {
  requests: number;
  stored: number;
  runs: number;
  stopped: number;
  /** Runs that got nothing done (`failed` in the engine), and the first one's message. */
  failed: number;
  firstFailure: string | null;
  /** Players and matches that failed (execution_log), summed over the runs. */
  itemFailures: number;
  /** Players left with listed games waiting for a retry when the phase ended. */
  waiting: number;
  methods: Map<string, number>;
  start: number;
  end: number;
  /** Send time of the phase's latest europe request that waited for quota (0: none did). */
  lastThrottled: number;
};

async function run(simulator: Simulator, prisma: PrismaClient) {
  const byMethod = new Map<string, number>();
  // Send time of the latest europe request that had to wait for quota: work was pending then.
  // Reset at each phase's start.
  let lastThrottled = 0;
  const client = createRiotClient({
    baseUrl: simulator.baseUrlTemplate,
    apiKey: simulator.apiKey,
    limiter: createRateLimiter({ timeScale: scale }),
    maxRetries: 3,
    onRequest: (info) => {
      byMethod.set(info.method, (byMethod.get(info.method) ?? 0) + 1);
      if (info.routing === 'europe' && info.queuedMs > 1)
        lastThrottled = Math.max(lastThrottled, performance.now() - info.durationMs);
    },
  });
  for (const p of simulator.world.trackable(10, 'euw1')) {
    await prisma.$executeRaw`INSERT INTO players (puuid, platform, is_tracked) VALUES (${p.puuid}, 'euw1', true)`;
  }

  /** Advances the world, then runs the updater back to back until nothing is left to fetch. */
  async function phase(slots: number): Promise<Measured> {
    await new Promise((resolve) => setTimeout(resolve, longWindowMs + 100)); // an empty budget
    simulator.world.advance(slots * simulator.world.slotMs);
    lastThrottled = 0;
    const methodsBefore = new Map(byMethod);
    const storedBefore = await storedMatches(prisma);
    const start = performance.now();
    let runs = 0;
    let stopped = 0;
    let failed = 0;
    let firstFailure: string | null = null;
    let failingSince: number | null = null;
    let itemFailures = 0;
    let waiting = 0;
    for (;;) {
      const runStart = performance.now();
      const storedBeforeRun = await storedMatches(prisma);
      const outcome = await runUpdater(prisma, client, timeoutMs);
      runs += 1;
      itemFailures += outcome.failures;
      if (outcome.stopped) stopped += 1;
      if (outcome.failed !== null) {
        failed += 1;
        firstFailure ??= outcome.failed;
        failingSince ??= runStart;
        // The budget refills within a long window: this long without any progress, none comes.
        if (performance.now() - failingSince > 10 * longWindowMs) {
          throw new Error(
            `no updater run got anything done for 10 long windows (${failed} failed runs; last: ${outcome.failed})`,
          );
        }
        continue;
      }
      failingSince = null;
      if (outcome.stopped) continue;
      waiting = await backlog(prisma);
      // Finished, and what is still listed waits for the retry of a failed fetch (minutes away).
      if (waiting === 0 || (await storedMatches(prisma)) === storedBeforeRun) break;
    }
    const methods = new Map([...byMethod].map(([m, n]) => [m, n - (methodsBefore.get(m) ?? 0)]));
    return {
      requests: [...methods.values()].reduce((a, b) => a + b, 0),
      stored: (await storedMatches(prisma)) - storedBefore,
      runs,
      stopped,
      failed,
      firstFailure,
      itemFailures,
      waiting,
      methods,
      start,
      end: performance.now(),
      lastThrottled,
    };
  }

  console.log(
    `updater bench: 10 tracked players (euw1, 400-player world), dev-key limits 20/1 s + 100/120 s per routing value, time scale ${scale} (120 s → ${(longWindowMs / 1000).toFixed(1)} s), job timeout 90 s → ${(timeoutMs / 1000).toFixed(1)} s; runs back to back while work is pending`,
  );
  const first = await phase(0);
  console.log(`  first runs (newest 20 of each player): ${line(first)}`);
  const loaded = await phase(Number(values['backlog-slots']));
  const use = utilisation(simulator, loaded);
  const riotMinutes = (loaded.end - loaded.start) / scale / 60_000;
  console.log(
    `  loaded (${values['backlog-slots']} slots of play, more than the budget fetches at once): ${line(loaded)}`,
  );
  const utilised =
    use.windows >= 1
      ? `${use.windows} whole 120 s windows: sent ${use.sent} / allowed ${use.allowed} → utilisation ${use.percent.toFixed(1)} %`
      : `utilisation n/a (pending for ${(use.pendingMs / scale / 1000).toFixed(0)} s of unscaled Riot time, less than one whole 120 s window)`;
  console.log(
    `    europe (match-v5 and account-v1's budget) while work was pending, ${utilised}; ${(loaded.stored / riotMinutes).toFixed(1)} matches stored per minute of unscaled Riot time (${riotMinutes.toFixed(1)} min)`,
  );
  const cycles: Measured[] = [];
  for (let c = 0; c < Number(values.cycles); c++) {
    cycles.push(await phase(Number(values['cycle-slots'])));
    console.log(
      `  keeping up, cycle ${c + 1} (+${values['cycle-slots']} slots): ${line(cycles.at(-1) as Measured)}`,
    );
  }
  const total = cycles.reduce(
    (a, m) => ({ requests: a.requests + m.requests, stored: a.stored + m.stored }),
    {
      requests: 0,
      stored: 0,
    },
  );
  console.log(
    `  keeping up, all cycles: ${total.stored} matches, ${total.requests} requests → ${(total.requests / Math.max(1, total.stored)).toFixed(3)} per match`,
  );
  const stats = simulator.stats();
  const exceeded = stats.limitExceeded.application + stats.limitExceeded.method;
  const sent = [...byMethod.values()].reduce((a, b) => a + b, 0);
  console.log(
    `  HTTP attempts ${sent} (simulator received ${stats.requests}); 429 from the simulator: ${exceeded}`,
  );
  const verdict =
    perMatch(loaded) > 1.05 || exceeded > 0 || (use.windows >= 1 && use.percent < 97)
      ? 'NOT met'
      : use.windows >= 1
        ? 'met'
        : 'n/a (work pending for less than one whole 120 s window: raise --backlog-slots)';
  console.log(
    `  targets (loaded steady state): ≤ 1.05 requests per stored match, ≥ 97 % utilisation, 0 × 429: ${verdict}`,
  );
}

function perMatch(m: Measured) {
  return m.requests / Math.max(1, m.stored);
}

function line(m: Measured) {
  const short = (method: string) => method.replace(/^.*?-v\d\./, '');
  const breakdown = [...m.methods]
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${short(k)} ${n}`)
    .join(', ');
  const failed = m.firstFailure ? ` (first: ${m.firstFailure})` : '';
  const items =
    m.itemFailures > 0
      ? `; ${m.itemFailures} failed items (players, matches), ${m.waiting} players with games waiting for a retry`
      : '';
  return `${m.stored} matches stored with ${m.requests} requests → ${perMatch(m).toFixed(3)} per match (${breakdown}); ${m.runs} runs, ${m.stopped} stopped before the timeout, ${m.failed} failed with nothing done${failed}${items}`;
}

/**
 * Accepted europe requests while work was pending, over whole 120 s windows from the first one
 * (pending: up to the phase's last request that waited for quota; the work left after it fitted
 * the budget), against the most the limits allow in that time. No whole window (`windows` 0):
 * the phase was too short to judge.
 */
function utilisation(simulator: Simulator, m: Measured) {
  const inPhase = simulator.acceptedTimes('europe').filter((t) => t >= m.start && t <= m.end);
  const first = inPhase[0] ?? m.start;
  const pendingMs = Math.max(0, Math.min(m.end, m.lastThrottled) - first);
  const windows = Math.floor(pendingMs / longWindowMs);
  const span = windows * longWindowMs;
  const allowed = greedyMax(
    [
      { limit: 20, ms: 1000 * scale },
      { limit: 100, ms: longWindowMs },
    ],
    span,
  );
  const sent = inPhase.filter((t) => t < first + span).length;
  return { sent, allowed, windows, percent: (100 * sent) / allowed, span, pendingMs };
}
