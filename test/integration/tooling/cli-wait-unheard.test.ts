import { afterAll, beforeAll, expect, test } from 'vitest';
import { createEventBus } from '../../../src/events/pubsub.ts';
import { silentLogger } from '../../../src/logger.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { jsonOf, runCli } from './cli.ts';
import { startTooling, TOKEN, type Tooling } from './harness.ts';

let db: TestDatabase;
let t: Tooling;
beforeAll(async () => {
  db = await createTestDatabase();
  // The server hears none of the engine's events: its runs might be another process's, and
  // there is no REDIS_URL to carry their events across.
  t = await startTooling(db, { graphqlPubsub: createEventBus({ logger: silentLogger() }).pubsub });
});
afterAll(async () => {
  await t?.stop();
  await db?.drop();
});

test('--wait ends with the run even when its events never reach the server', async () => {
  await t.setSleepy('player_analyzer', { sleep_ms: 200, steps: 2 });
  const env = { RIFTWATCH_URL: t.base, ADMIN_TOKEN: TOKEN };
  const r = await runCli(['--json', 'jobs', 'trigger', 'player_analyzer', '--wait'], env);
  expect(r.code).toBe(0);
  expect(jsonOf(r).execution).toMatchObject({ status: 'success' });
}, 30_000);
