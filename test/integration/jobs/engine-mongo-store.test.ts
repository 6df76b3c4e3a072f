import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobStore, type JobStore } from '../../../src/jobs/engine/agenda-store.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { type MongoServer, mongoTarget, withDatabase } from '../../helpers/mongo-target.ts';
import {
  configId,
  type EngineHandle,
  executionWithStatus,
  startEngine,
  waitFor,
} from './engine-harness.ts';

// The engine with Agenda on MongoDB (JOB_STORE_URL=mongodb://…, as docker-compose runs it), while
// job_configurations and job_executions stay in PostgreSQL.
const mongo = mongoTarget();

if (mongo.kind === 'none') {
  const line = `job engine on MongoDB: skipped (${mongo.reason})`;
  console.log(line);
  describe.skip(line, () => {
    it('runs triggers and schedules with Agenda on MongoDB', () => {});
  });
} else {
  describe(`job engine with Agenda on ${mongo.label}`, () => {
    let server: MongoServer;
    let db: TestDatabase;
    let handle: EngineHandle;
    let store: JobStore;
    let updater: number;

    beforeAll(async () => {
      server = await mongo.start();
      db = await createTestDatabase();
      updater = await configId(db, 'tracked_player_updater');
      const url = withDatabase(server.url, `rw_engine_${randomBytes(6).toString('hex')}`);
      store = await createJobStore({ jobStoreUrl: url, databaseUrl: db.url });
      expect(store.kind).toBe('mongodb');
      handle = await startEngine(db, { store });
    });
    afterAll(async () => {
      await handle?.engine.stop();
      await store?.close(); // a store passed in is the caller's to close
      await db?.drop();
      await server?.stop();
    });

    it('runs a manual trigger to success and applies a schedule edit', async () => {
      const id = await handle.engine.enqueue(updater);
      await executionWithStatus(db, id, 'success', 10_000, 'manual run');

      await db.sql(`UPDATE job_configurations SET schedule = '1 hour' WHERE id = $1`, [updater]);
      const next = await waitFor(
        async () => {
          const at = (await handle.engine.nextRuns()).get(updater);
          return at && Math.abs(Number(at) - Date.now() - 3_600_000) < 60_000 ? at : null;
        },
        5000,
        'the hourly schedule in MongoDB',
      );
      expect(next).toBeInstanceOf(Date);
    });
  });
}
