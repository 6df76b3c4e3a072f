import { silentLogger } from '../../../src/logger.ts';
import { createRiotClient } from '../../../src/riot/client.ts';
import { createRateLimiter } from '../../../src/riot/rate-limiter.ts';
import {
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from '../../../src/riot/simulator/index.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import {
  configId,
  type EngineHandle,
  type ExecutionRow,
  execution,
  jobRegistry,
  startEngine,
  waitFor,
} from '../jobs/engine-harness.ts';

/** One HTTP attempt the client made, as the simulator saw its URL. */
export type SentRequest = { path: string; query: URLSearchParams };

export type RunResult = {
  row: ExecutionRow;
  /** This run's attempts, in order. */
  sent: SentRequest[];
  /** Requests the simulator received during the run. */
  received: number;
};

export type UpdaterWorld = {
  db: TestDatabase;
  simulator: Simulator;
  handle: EngineHandle;
  run(config?: Record<string, unknown>): Promise<RunResult>;
  /** A run of the configuration of `jobType` with `config_json` = `config`, to its end. */
  runJob(jobType: string, config?: Record<string, unknown>): Promise<RunResult>;
  track(puuid: string, platform?: string): Promise<void>;
  stop(): Promise<void>;
};

/**
 * A real database, the simulator over HTTP (frozen world time: tests move it with
 * `world.advance`), limits scaled 100× faster, and the job engine running the production
 * registry; the client's fetch records every URL it sends.
 */
export async function startUpdaterWorld(
  options: SimulatorOptions & { timeoutSeconds?: number } = {},
): Promise<UpdaterWorld> {
  const timeScale = options.timeScale ?? 0.01;
  const db = await createTestDatabase();
  const simulator = await startSimulator({
    seed: 6,
    ...options,
    timeScale,
    world: {
      platforms: ['euw1'],
      playersPerPlatform: 20,
      historySlots: 30,
      speed: 0,
      ...options.world,
    },
  });
  const sent: SentRequest[] = [];
  const riot = createRiotClient({
    baseUrl: simulator.baseUrlTemplate,
    apiKey: simulator.apiKey,
    limiter: createRateLimiter({ timeScale, marginMs: 0 }),
    logger: silentLogger(),
    maxRetries: 1,
    retryBaseDelayMs: 5,
    timeoutMs: 5_000,
    fetch: (input, init) => {
      const url = new URL(String(input));
      sent.push({ path: url.pathname, query: url.searchParams });
      return fetch(input, init);
    },
  });
  const updater = await configId(db, 'tracked_player_updater');
  await db.sql('UPDATE job_configurations SET is_active = false'); // runs on demand only
  const handle = await startEngine(db, {
    registry: jobRegistry,
    riot,
    timeoutSeconds: options.timeoutSeconds ?? 30,
  });
  const world: UpdaterWorld = {
    db,
    simulator,
    handle,
    run: (config = {}) => world.runJob('tracked_player_updater', config),
    async runJob(jobType, config = {}) {
      const id = jobType === 'tracked_player_updater' ? updater : await configId(db, jobType);
      await db.sql('UPDATE job_configurations SET config_json = $1 WHERE id = $2', [
        JSON.stringify(config),
        id,
      ]);
      const before = { sent: sent.length, received: simulator.stats().requests };
      const executionId = await handle.engine.enqueue(id);
      const row = await waitFor(
        async () => {
          const r = await execution(db, executionId);
          return r && ['success', 'failed', 'cancelled'].includes(r.status) ? r : null;
        },
        60_000,
        `execution ${executionId}`,
      );
      return {
        row,
        sent: sent.slice(before.sent),
        received: simulator.stats().requests - before.received,
      };
    },
    async track(puuid, platform = 'euw1') {
      await db.sql(
        `INSERT INTO players (puuid, platform, is_tracked) VALUES ($1, $2, true)
         ON CONFLICT (puuid) DO UPDATE SET is_tracked = true`,
        [puuid, platform],
      );
    },
    async stop() {
      await handle.engine.stop();
      await simulator.stop();
      await db.drop();
    },
  };
  return world;
}

export const isMatchFetch = (r: SentRequest) =>
  /^\/\w+\/lol\/match\/v5\/matches\/[^/]+$/.test(r.path);
export const isListing = (r: SentRequest) => r.path.endsWith('/ids');
export const isLeague = (r: SentRequest) => r.path.includes('/lol/league/v4/');
export const isAccount = (r: SentRequest) => r.path.includes('/riot/account/v1/');
export const matchIdOf = (r: SentRequest) => r.path.split('/').pop() as string;
/** The PUUID a by-puuid request was about. */
export const puuidOf = (r: SentRequest) => {
  const parts = r.path.split('/');
  return decodeURIComponent(parts[parts.indexOf('by-puuid') + 1] ?? '');
};

/** Match ids a run fetched, each as many times as it was fetched. */
export const fetchedIds = (sent: SentRequest[]) => sent.filter(isMatchFetch).map(matchIdOf);

/** The simulator's ranked solo games of a player, newest first. */
export function rankedIds(simulator: Simulator, puuid: string): string[] {
  return (simulator.world.matchIds(puuid) ?? [])
    .filter((m) => m.queueId === 420)
    .map((m) => m.matchId);
}

export async function storedIdsOf(db: TestDatabase, puuid: string): Promise<string[]> {
  const { rows } = await db.sql<{ match_id: string }>(
    'SELECT match_id FROM match_participants WHERE puuid = $1 ORDER BY game_start DESC',
    [puuid],
  );
  return rows.map((r) => r.match_id);
}

/** A run's requests, one group per player (each player's work starts with its match listing). */
export function perPlayer(sent: SentRequest[]): Map<string, SentRequest[]> {
  const groups = new Map<string, SentRequest[]>();
  let current: SentRequest[] = [];
  for (const r of sent) {
    if (isListing(r) && r.query.get('start') === '0') {
      current = [];
      groups.set(puuidOf(r), current);
    }
    current.push(r);
  }
  return groups;
}
