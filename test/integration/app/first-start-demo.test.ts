import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PLAYERS } from '../../../src/demo/first-start.ts';
import { type Simulator, startSimulator } from '../../../src/riot/simulator/index.ts';
import { createWorld } from '../../../src/riot/simulator/world.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import {
  descendantsOf,
  isAlive,
  type Started,
  startRiftwatch,
  stopRiftwatch,
} from '../../helpers/process.ts';
import { waitFor } from '../../helpers/wait.ts';

const NO_RIOT = { RIOT_API_KEY: undefined, RIOT_API_BASE_URL: undefined };
const FIRST_START = 'First start on the simulator';

// `npm start` with nothing but a database: the first start must show something.
describe('first start on the built-in simulator', () => {
  let db: TestDatabase;
  let app: Started | undefined;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    if (app) await stopRiftwatch(app.child);
    app = undefined;
    await db.drop();
  });

  it('tracks a handful of simulated players, a smurf among them, and runs the updater at once', async () => {
    app = await startRiftwatch({ ...NO_RIOT, DATABASE_URL: db.url, PORT: '0' });
    const line = await waitFor(async () => app?.lines.find((l) => l.includes(FIRST_START)));
    const logged = JSON.parse(line);
    expect(logged.players).toHaveLength(DEMO_PLAYERS);
    expect(logged.players.some((p: { kind: string }) => p.kind === 'smurf')).toBe(true);

    // Tracked through the use-case: Riot's view of each account (Riot ID, level) was stored.
    const { rows: players } = await db.sql<{ puuid: string; riot_id: string | null }>(
      'SELECT puuid, riot_id, summoner_level FROM players WHERE is_tracked ORDER BY riot_id',
    );
    expect(players).toHaveLength(DEMO_PLAYERS);
    const truth = new Map(
      createWorld()
        .groundTruth()
        .players.map((p) => [p.puuid, p]),
    );
    for (const player of players) {
      expect(player.riot_id).toBe(truth.get(player.puuid)?.riotId);
      expect(player).toMatchObject({ summoner_level: expect.any(Number) });
    }
    expect(players.some((p) => truth.get(p.puuid)?.isSmurf)).toBe(true);

    const execution = await waitFor(
      async () => {
        const { rows } = await db.sql(
          `SELECT e.status, e.trigger FROM job_executions e JOIN job_configurations c ON c.id = e.job_config_id
           WHERE c.job_type = 'tracked_player_updater' AND e.status IN ('success', 'failed')`,
        );
        return rows[0];
      },
      60_000,
      'the first updater run',
    );
    expect(execution).toEqual({ status: 'success', trigger: 'manual' });

    // Ctrl-C: stops cleanly and leaves no process behind (tsx's esbuild service included).
    const processes = descendantsOf(app.child.pid as number);
    expect(await stopRiftwatch(app.child, 'SIGINT')).toBe(0);
    await waitFor(async () => processes.every((p) => !isAlive(p.pid)), 10_000, 'none left');
    app = undefined;
  }, 90_000);

  it('tracks nobody when a player is tracked already', async () => {
    const [player] = createWorld().trackable(1, 'euw1');
    await db.sql(`INSERT INTO players (puuid, platform, is_tracked) VALUES ($1, 'euw1', true)`, [
      player?.puuid,
    ]);
    app = await startRiftwatch({ ...NO_RIOT, DATABASE_URL: db.url, PORT: '0' });
    expect(app.lines.some((l) => l.includes(FIRST_START))).toBe(false);
    const { rows } = await db.sql('SELECT count(*)::int AS n FROM players WHERE is_tracked');
    expect(rows[0]?.n).toBe(1);
  });

  describe('with a Riot API configured', () => {
    let riot: Simulator;
    beforeAll(async () => {
      riot = await startSimulator();
    });
    afterAll(() => riot.stop());

    it('tracks nobody automatically', async () => {
      app = await startRiftwatch({
        DATABASE_URL: db.url,
        PORT: '0',
        RIOT_API_KEY: riot.apiKey,
        RIOT_API_BASE_URL: riot.baseUrlTemplate,
      });
      expect(app.lines.some((l) => l.includes(FIRST_START))).toBe(false);
      const { rows } = await db.sql('SELECT count(*)::int AS n FROM players');
      expect(rows[0]?.n).toBe(0);
    });
  });
});
