import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.ts';
import { createRiotClient } from '../../../src/riot/client.ts';
import { createRateLimiter } from '../../../src/riot/rate-limiter.ts';
import { type Simulator, startSimulator } from '../../../src/riot/simulator/index.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import {
  configId,
  type EngineHandle,
  execution,
  jobRegistry,
  startEngine,
  waitFor,
} from './engine-harness.ts';

let db: TestDatabase;
let simulator: Simulator;
let handle: EngineHandle;
let updater: number;
let analyzer: number;

beforeAll(async () => {
  db = await createTestDatabase();
  simulator = await startSimulator({
    seed: 11,
    world: { platforms: ['euw1'], playersPerPlatform: 20, historySlots: 5 },
  });
  const riot = createRiotClient({
    baseUrl: simulator.baseUrlTemplate,
    apiKey: simulator.apiKey,
    limiter: createRateLimiter({ marginMs: 0 }),
    logger: silentLogger(),
    maxRetries: 1,
    retryBaseDelayMs: 5,
    timeoutMs: 2000,
  });
  updater = await configId(db, 'tracked_player_updater');
  analyzer = await configId(db, 'player_analyzer');
  // Runs only on demand here.
  await db.sql('UPDATE job_configurations SET is_active = false');
  handle = await startEngine(db, { registry: jobRegistry, riot });
});
afterAll(async () => {
  await handle.engine.stop();
  await simulator.stop();
  await db.drop();
});

async function runToEnd(id: number) {
  const executionId = await handle.engine.enqueue(id);
  return waitFor(
    async () => {
      const row = await execution(db, executionId);
      return row && ['success', 'failed'].includes(row.status) ? row : null;
    },
    10_000,
    `execution ${executionId}`,
  );
}

describe('domain jobs against the simulator', () => {
  it("updater stores tracked players' matches and Riot IDs, logging a bad PUUID without failing", async () => {
    const players = simulator.world.trackable(3, 'euw1');
    for (const p of players) {
      await db.sql(
        `INSERT INTO players (puuid, platform, is_tracked, riot_id, game_name, tag_line) VALUES ($1, 'euw1', true, 'Old#OLD', 'Old', 'OLD')`,
        [p.puuid],
      );
    }
    await db.sql(
      `INSERT INTO players (puuid, platform, is_tracked) VALUES ('not-a-real-puuid', 'euw1', true)`,
    );
    await db.sql(
      `INSERT INTO players (puuid, platform, is_tracked) VALUES ('untracked-one', 'euw1', false)`,
    );

    const row = await runToEnd(updater);
    expect(row.status).toBe('success');
    expect(row.records_created).toBeGreaterThan(0);
    expect(row.api_requests_made).toBeGreaterThanOrEqual(4);
    expect(row.execution_log).toEqual([expect.objectContaining({ item: 'not-a-real-puuid' })]);
    expect(row.progress).toMatchObject({
      phase: expect.stringMatching(/^done/),
      processed: 4,
      total: 4,
    });
    for (const p of players) {
      const { rows } = await db.sql(
        'SELECT riot_id, game_name, tag_line, last_updated FROM players WHERE puuid = $1',
        [p.puuid],
      );
      expect(rows[0]).toMatchObject({
        riot_id: `${p.gameName}#${p.tagLine}`,
        game_name: p.gameName,
        tag_line: p.tagLine,
      });
      expect(rows[0]?.last_updated).not.toBeNull();
    }
    const complete = handle.logs.lines.find(
      (l) => l.execution_id === row.id && l.msg === 'Job complete',
    );
    expect(complete).toMatchObject({
      api_requests_made: row.api_requests_made,
      records_created: row.records_created,
    });
  });

  it('respects max_tracked_players, least recently updated first', async () => {
    await db.sql(
      `UPDATE job_configurations SET config_json = '{"max_tracked_players": 1}' WHERE id = $1`,
      [updater],
    );
    await db.sql(`UPDATE players SET last_updated = now() WHERE puuid <> 'not-a-real-puuid'`);
    const row = await runToEnd(updater);
    // Its one player failed: a run that got nothing done is a failed run.
    expect(row).toMatchObject({ status: 'failed', records_updated: 0 });
    expect(row.error_message).toMatch(
      /^No player could be updated \(1 failed\); first error: .*decrypting/i,
    );
    expect(row.execution_log).toEqual([expect.objectContaining({ item: 'not-a-real-puuid' })]);
    await db.sql(`UPDATE job_configurations SET config_json = '{}' WHERE id = $1`, [updater]);
  });

  it('an expired key (403) fails the run', async () => {
    const clear = simulator.faults.inject({ kind: 'status', status: 403, message: 'Forbidden' });
    try {
      const row = await runToEnd(updater);
      expect(row.status).toBe('failed');
      expect(row.error_message).toMatch(/Forbidden/);
      expect(row.api_requests_made).toBeGreaterThanOrEqual(1);
    } finally {
      clear();
    }
  });

  it('an application 429 that outlasts the retries fails the run, and the runbook query for rate-limit failures finds it', async () => {
    const clear = simulator.faults.inject({
      kind: 'rate-limit',
      type: 'application',
      retryAfterSeconds: 1,
    });
    try {
      const row = await runToEnd(updater);
      expect(row.status).toBe('failed');
      expect(row.api_requests_made).toBe(2); // the first attempt and its one retry
      const { rows } = await db.sql(`SELECT error_message FROM job_executions
WHERE error_message LIKE '%rate limit%'
ORDER BY started_at DESC LIMIT 5;`);
      expect(rows[0]?.error_message).toBe(row.error_message);
      expect(row.error_message).toMatch(/\(application\)/);
    } finally {
      clear();
    }
  });

  it('a service 429 that outlasts the retries fails that player only: the run goes on', async () => {
    const clear = simulator.faults.inject({
      kind: 'rate-limit',
      type: 'service',
      retryAfterSeconds: 1,
    });
    try {
      const row = await runToEnd(updater);
      expect(row.api_requests_made).toBeGreaterThan(2);
      const log = row.execution_log as { error: string }[];
      expect(log.length).toBeGreaterThan(1);
      expect(log.every((entry) => /\(service\)/.test(entry.error))).toBe(true);
    } finally {
      clear();
    }
  });

  it('analyzer takes its batch of unanalyzed players', async () => {
    await db.sql(
      `UPDATE job_configurations SET config_json = '{"unanalyzed_players_per_run": 2}' WHERE id = $1`,
      [analyzer],
    );
    const before = await db.sql<{ n: number }>('SELECT count(*)::int AS n FROM player_analyses');
    const row = await runToEnd(analyzer);
    expect(row).toMatchObject({ status: 'success' });
    expect(row.progress).toMatchObject({ processed: 2, total: 2 });
    const after = await db.sql<{ n: number }>('SELECT count(*)::int AS n FROM player_analyses');
    expect((after.rows[0]?.n as number) - (before.rows[0]?.n as number)).toBe(2);
  });
});
