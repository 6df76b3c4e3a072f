/**
 * Detection quality through the real pipeline: a seeded simulated world; every player's recent
 * ranked games and rank fetched over HTTP and stored by the match store; then the player_analyzer
 * job, run by the job engine, over the database. Its flags are compared with the simulator's
 * labels (insufficient data counts as "not flagged"). Also prints the analyzer's throughput from
 * the database, with no Riot request: ranks are fresh, history fetching off, and the account
 * checks of newly flagged players (which the analyzer runs after its batch) marked done, so none
 * is due; the output gives the Riot requests the runs made and the simulator received (both 0).
 * Exits 1 when it fails, after dropping its database and stopping the simulator and the engine
 * (also on SIGINT/SIGTERM).
 * Run: node --import tsx bench/detection.ts [--seed 31] [--players 600] [--games 30]
 */
import { parseArgs } from 'node:util';
import { currentBaselines } from '../src/analysis/baselines.ts';
import { createEventBus } from '../src/events/pubsub.ts';
import { createJobEngine } from '../src/jobs/engine/index.ts';
import { createJobRegistry } from '../src/jobs/registry.ts';
import { silentLogger } from '../src/logger.ts';
import { createMatchStore } from '../src/players/match-store.ts';
import { syncPlayerMatches } from '../src/players/match-sync.ts';
import { refreshRank } from '../src/players/rank.ts';
import { createRiotClient } from '../src/riot/client.ts';
import { createRateLimiter } from '../src/riot/rate-limiter.ts';
import { type Simulator, startSimulator } from '../src/riot/simulator/index.ts';
import { type BenchDatabase, createBenchDatabase } from './bench-db.ts';
import { type Defer, runBench } from './bench-run.ts';
import { printQuality } from './detection-report.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '31' },
    players: { type: 'string', default: '600' },
    games: { type: 'string', default: '30' },
  },
});
const seed = Number(values.seed);
const logger = silentLogger();
const t0 = performance.now();
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
await runBench('detection bench', async (defer) => {
  const db = await createBenchDatabase('rw_bench_detection');
  defer(() => db.drop());
  const simulator = await startSimulator({
    seed,
    world: { platforms: ['euw1'], playersPerPlatform: Number(values.players), speed: 0 },
    // A production-sized key: this measures detection, not the rate limit.
    limits: { app: [{ limit: 100_000, windowSeconds: 1 }], methods: {} },
  });
  defer(() => simulator.stop());
  await run(db, simulator, defer);
});

async function run(db: BenchDatabase, simulator: Simulator, defer: Defer) {
  const riot = createRiotClient({
    baseUrl: simulator.baseUrlTemplate,
    apiKey: simulator.apiKey,
    limiter: createRateLimiter({ logger }),
    maxRetries: 2,
  });

  // 1. Store: each player's newest ranked games (shared games fetched once) and rank.
  const truth = simulator.groundTruth().players;
  const store = createMatchStore(db.prisma);
  const runMatches = new Map();
  const storeStart = performance.now();
  let next = 0;
  let failed = false; // the other fetchers stop too
  // Settled, not Promise.all: on a failure, no fetcher is left running into the cleanup.
  const fetchers = await Promise.allSettled(
    Array.from({ length: 8 }, async () => {
      while (!failed && next < truth.length) {
        const player = truth[next++] as (typeof truth)[number];
        const target = { puuid: player.puuid, platform: player.platform };
        try {
          const sync = await syncPlayerMatches(
            { prisma: db.prisma, riot, store, runMatches },
            { ...target, matchesSyncedUntil: null, pendingMatchIds: [] },
            { cap: Number(values.games), queues: [420] },
          );
          if (sync.error) throw sync.error;
        } catch (error) {
          failed = true;
          throw error;
        }
        await refreshRank(db.prisma, riot, target).catch(() => {}); // a deleted account: no rank
      }
    }),
  );
  for (const fetcher of fetchers) if (fetcher.status === 'rejected') throw fetcher.reason;
  const stored = await db.prisma.match.count();
  console.info(
    `seed ${seed}: ${truth.length} players, ${stored} matches stored in ${((performance.now() - storeStart) / 1000).toFixed(1)} s`,
  );

  // 2. Analyse: the production job through the job engine, every player in one run.
  await db.prisma.$executeRaw`UPDATE players SET is_analyzed = false`;
  // The analyzer checks the account status of flagged players not checked for ban_check_days
  // (never checked first) after its batch: marked checked now, none is due, no request is made.
  await db.prisma.$executeRaw`UPDATE players SET last_ban_check = now()`;
  await db.prisma.$executeRaw`UPDATE job_configurations SET is_active = false`;
  const analyzer = await db.prisma.jobConfiguration.findFirstOrThrow({
    where: { jobType: 'player_analyzer' },
  });
  const players = await db.prisma.player.count();
  await db.prisma.jobConfiguration.update({
    where: { id: analyzer.id },
    data: { configJson: { unanalyzed_players_per_run: 500, history_games: 0 } },
  });
  const engine = createJobEngine({
    prisma: db.prisma,
    databaseUrl: db.url,
    logger,
    pubsub: createEventBus({ logger }).pubsub,
    riot,
    jobs: { schedulerEnabled: true, intervalSeconds: 120, timeoutSeconds: 600 },
    registry: createJobRegistry({ executionRetentionDays: 30 }),
  });
  let engineRunning = true;
  defer(async () => {
    if (engineRunning) await engine.stop();
  });
  await engine.start();
  console.info(`[${elapsed()}] engine started`);
  let analysed = 0;
  let busyMs = 0;
  let requests = 0;
  const receivedBefore = simulator.stats().requests;
  while (analysed < players) {
    const id = await engine.enqueue(analyzer.id);
    let row = await db.prisma.jobExecution.findUniqueOrThrow({ where: { id } });
    while (!['success', 'failed'].includes(row.status)) {
      await new Promise((r) => setTimeout(r, 50));
      row = await db.prisma.jobExecution.findUniqueOrThrow({ where: { id } });
    }
    if (row.status !== 'success') throw new Error(`analyzer failed: ${row.errorMessage}`);
    const done = await db.prisma.player.count({ where: { isAnalyzed: true } });
    if (done === analysed) break;
    analysed = done;
    busyMs += (row.completedAt?.getTime() ?? 0) - (row.startedAt?.getTime() ?? 0);
    requests += row.apiRequestsMade;
  }
  const received = simulator.stats().requests - receivedBefore;
  console.info(`[${elapsed()}] analysis done`);
  engineRunning = false;
  await engine.stop();
  console.info(`[${elapsed()}] engine stopped`);
  console.info(
    `analyzer: ${analysed} players in ${(busyMs / 1000).toFixed(2)} s of runs = ${((analysed * 1000) / busyMs).toFixed(0)} players/s, ${requests} Riot requests by the runs (simulator received ${received}; expected 0)`,
  );

  if (process.env.DETAIL) {
    const { baselines, tag } = await currentBaselines(db.prisma, {
      minGames: 10,
      now: new Date(),
    });
    console.info(tag, JSON.stringify(baselines.byTier), JSON.stringify(baselines.spread));
  }

  // 3. Quality against the simulator's labels.
  await printQuality(db.prisma, truth);
}
