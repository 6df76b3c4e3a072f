import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agenda, type AgendaOptions } from 'agenda';
import { MongoClient } from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createJobStore, type JobStore } from '../../../src/jobs/engine/agenda-store.ts';
import { createTestDatabase } from '../../helpers/database.ts';
import { mongoTarget, withDatabase } from '../../helpers/mongo-target.ts';

/** One isolated job store (a database of its own); `open()` is one more process connecting to it. */
type StoreUnderTest = { open(): Promise<JobStore>; dispose(): Promise<void> };

const PROCESS_EVERY = 100;
const LOCK_LIFETIME = 1_000;
const WAIT = { timeout: 5_000, interval: 20 };

/**
 * What riftwatch relies on from Agenda's job store, run unchanged against every backend. The label
 * is part of every test name, so results on the emulator can never be read as MongoDB's.
 */
function jobStoreContract(label: string, setup: () => Promise<StoreUnderTest>): void {
  describe(`job store contract on ${label}`, () => {
    let target: StoreUnderTest;
    const opened: { agenda: Agenda; store: JobStore }[] = [];
    const errors: Error[] = [];
    // Agenda's stop() neither waits for a poll in flight nor for running jobs; the MongoDB driver
    // then fails them as it closes. That is a shutdown race, not a store failure: errors from an
    // Agenda already stopping are not counted.
    const stopped = new WeakSet<Agenda>();

    beforeAll(async () => {
      target = await setup();
    });
    afterEach(async () => {
      for (const { agenda, store } of opened.splice(0)) {
        stopped.add(agenda);
        await agenda.stop();
        await store.close();
      }
      expect(errors.splice(0)).toEqual([]);
    });
    afterAll(() => target?.dispose());

    /** A new Agenda on its own connection to the shared store: one riftwatch process. */
    async function worker(options: Partial<AgendaOptions> = {}): Promise<Agenda> {
      const jobStore = await target.open();
      const agenda = new Agenda({
        backend: jobStore.backend,
        processEvery: PROCESS_EVERY,
        defaultLockLifetime: LOCK_LIFETIME,
        ...options,
      });
      agenda.on('error', (error) => {
        if (!stopped.has(agenda)) errors.push(error);
      });
      opened.push({ agenda, store: jobStore });
      return agenda;
    }

    /** Defines `name` with a handler that records each run's data. */
    function recorder<T = unknown>(agenda: Agenda, name: string): T[] {
      const runs: T[] = [];
      agenda.define<T>(name, async (job) => {
        runs.push(job.attrs.data);
      });
      return runs;
    }

    const jobName = (what: string) => `${what}-${randomBytes(3).toString('hex')}`;

    it('runs a now() job once, with its data', async () => {
      const agenda = await worker();
      const name = jobName('now');
      const runs = recorder(agenda, name);
      await agenda.start();
      await agenda.now(name, { puuid: 'p-1' });
      await vi.waitFor(() => expect(runs).toEqual([{ puuid: 'p-1' }]), WAIT);
      await sleep(PROCESS_EVERY * 4);
      expect(runs).toHaveLength(1);
      const { jobs } = await agenda.queryJobs({ name });
      expect(jobs).toHaveLength(1);
      expect(jobs[0]?.lastFinishedAt).toBeInstanceOf(Date);
    });

    it('keeps one job for repeated every() calls and shows its next run time', async () => {
      const agenda = await worker();
      const name = jobName('every');
      const runs = recorder(agenda, name);
      const before = Date.now();
      await agenda.every('1 minute', name, { region: 'euw1' }, { skipImmediate: true });
      await agenda.every('1 minute', name, { region: 'euw1' }, { skipImmediate: true });
      await agenda.start();
      await sleep(PROCESS_EVERY * 4);
      expect(runs).toEqual([]); // skipImmediate: nothing runs before the first interval
      const { jobs, total } = await agenda.queryJobs({ name });
      expect(total).toBe(1);
      expect(jobs[0]?.data).toEqual({ region: 'euw1' });
      const next = jobs[0]?.nextRunAt?.getTime() ?? 0;
      expect(next).toBeGreaterThanOrEqual(before + 59_000);
      expect(next).toBeLessThanOrEqual(Date.now() + 61_000);
    });

    it('keeps one job when two instances call every() at the same time', async () => {
      const [a, b] = await Promise.all([worker(), worker()]);
      const name = jobName('every-race');
      const schedule = (agenda: Agenda) =>
        agenda.every('1 minute', name, { region: 'na1' }, { skipImmediate: true });
      await Promise.all([schedule(a), schedule(b), schedule(a), schedule(b)]);
      expect((await a.queryJobs({ name })).total).toBe(1);
    });

    it('runs an every() job at once without skipImmediate', async () => {
      const agenda = await worker();
      const name = jobName('every-now');
      const runs = recorder(agenda, name);
      await agenda.start();
      await agenda.every('1 minute', name);
      await vi.waitFor(() => expect(runs).toHaveLength(1), WAIT);
    });

    it('replaces the schedule when the interval changes', async () => {
      const agenda = await worker();
      const name = jobName('interval');
      const runs = recorder(agenda, name);
      await agenda.every('1 hour', name, { v: 1 }, { skipImmediate: true });
      await agenda.every(300, name, { v: 2 }, { skipImmediate: true });
      const { jobs, total } = await agenda.queryJobs({ name });
      expect(total).toBe(1);
      expect(String(jobs[0]?.repeatInterval)).toBe('300'); // PostgreSQL stores it as text
      expect(jobs[0]?.nextRunAt?.getTime()).toBeLessThan(Date.now() + 1_000);
      await agenda.start();
      await vi.waitFor(() => expect(runs.length).toBeGreaterThanOrEqual(2), WAIT);
      expect(runs[0]).toEqual({ v: 2 });
    });

    it('stops a cancelled job', async () => {
      const agenda = await worker();
      const name = jobName('cancel');
      const runs = recorder(agenda, name);
      await agenda.start();
      await agenda.every(200, name);
      await vi.waitFor(() => expect(runs.length).toBeGreaterThanOrEqual(1), WAIT);
      expect(await agenda.cancel({ name })).toBe(1);
      await sleep(PROCESS_EVERY); // a run already locked may still finish
      const settled = runs.length;
      await sleep(800);
      expect(runs).toHaveLength(settled);
      expect((await agenda.queryJobs({ name })).total).toBe(0);
    });

    it('keeps schedules across a restart', async () => {
      const first = await worker();
      const repeating = jobName('restart-every');
      const oneOff = jobName('restart-once');
      await first.every('10 minutes', repeating, { id: 7 }, { skipImmediate: true });
      await first.schedule(new Date(Date.now() + 200), oneOff, { id: 8 });
      const [before] = (await first.queryJobs({ name: repeating })).jobs;
      await opened.pop()?.store.close(); // never started: close its connection like a process exit

      const second = await worker();
      const runs = recorder(second, oneOff);
      await second.start();
      await vi.waitFor(() => expect(runs).toEqual([{ id: 8 }]), WAIT);
      const { jobs, total } = await second.queryJobs({ name: repeating });
      expect(total).toBe(1);
      expect(jobs[0]?.nextRunAt?.getTime()).toBe(before?.nextRunAt?.getTime());
      expect(jobs[0]?.repeatInterval).toBe('10 minutes');
      expect(jobs[0]?.data).toEqual({ id: 7 });
    });

    it('lets two instances share jobs without running any twice', async () => {
      const name = jobName('shared');
      const ranBy = new Map<number, string[]>();
      // Both connect at once, as an API and a worker process starting together would.
      const instances = await Promise.all(
        ['a', 'b'].map(async (who) => {
          const agenda = await worker({ name: who, defaultConcurrency: 2, defaultLockLimit: 2 });
          agenda.define<{ n: number }>(name, async (job) => {
            ranBy.set(job.attrs.data.n, [...(ranBy.get(job.attrs.data.n) ?? []), who]);
            await sleep(50);
          });
          return agenda;
        }),
      );
      const count = 12;
      for (let n = 0; n < count; n++) await instances[0]?.now(name, { n });
      await Promise.all(instances.map((agenda) => agenda.start()));
      await vi.waitFor(() => expect(ranBy.size).toBe(count), WAIT);
      await sleep(PROCESS_EVERY * 4);
      const runs = [...ranBy.values()];
      expect(runs.filter((by) => by.length !== 1)).toEqual([]);
      expect(new Set(runs.flat())).toEqual(new Set(['a', 'b']));
    });

    it('hands a job whose worker stopped responding to another after the lock lifetime', async () => {
      const name = jobName('stale-lock');
      // The first worker takes the job and never finishes or unlocks it, like a killed process;
      // its own long lock lifetime keeps it from reclaiming the job itself.
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      const stuck = await worker({ defaultLockLifetime: 60_000 });
      let lockedAt = 0;
      stuck.define(name, async () => {
        lockedAt = Date.now();
        await released;
      });
      await stuck.start();
      await stuck.now(name);
      await vi.waitFor(() => expect(lockedAt).toBeGreaterThan(0), WAIT);

      const rescuer = await worker();
      let rescuedAt = 0;
      rescuer.define(name, async () => {
        rescuedAt = Date.now();
      });
      await rescuer.start();
      await vi.waitFor(() => expect(rescuedAt).toBeGreaterThan(0), WAIT);
      expect(rescuedAt - lockedAt).toBeGreaterThanOrEqual(LOCK_LIFETIME - 50);
      const finished = new Promise((resolve) => stuck.once(`complete:${name}`, resolve));
      release();
      await finished;
    });

    it('pauses a disabled job and resumes it when enabled', async () => {
      const agenda = await worker();
      const name = jobName('disable');
      const runs = recorder(agenda, name);
      await agenda.start();
      await agenda.every(200, name);
      await vi.waitFor(() => expect(runs.length).toBeGreaterThanOrEqual(1), WAIT);
      expect(await agenda.disable({ name })).toBe(1);
      expect((await agenda.queryJobs({ name })).jobs[0]?.disabled).toBe(true);
      await sleep(PROCESS_EVERY);
      const paused = runs.length;
      await sleep(800);
      expect(runs).toHaveLength(paused);
      expect(await agenda.enable({ name })).toBe(1);
      await vi.waitFor(() => expect(runs.length).toBeGreaterThan(paused), WAIT);
    });
  });
}

jobStoreContract('PostgreSQL', async () => {
  const database = await createTestDatabase();
  return {
    open: () => createJobStore({ jobStoreUrl: undefined, databaseUrl: database.url }),
    dispose: () => database.drop(),
  };
});

const mongo = mongoTarget();
if (mongo.kind === 'none') {
  const line = `job store contract: MongoDB skipped (${mongo.reason})`;
  console.log(line);
  describe.skip(line, () => {
    it('runs the job store contract on MongoDB', () => {});
  });
} else {
  jobStoreContract(mongo.label, async () => {
    const server = await mongo.start();
    const url = withDatabase(server.url, `rw_jobs_${randomBytes(6).toString('hex')}`);
    return {
      open: () => createJobStore({ jobStoreUrl: url, databaseUrl: '' }),
      dispose: async () => {
        const client = await MongoClient.connect(url);
        try {
          await client.db().dropDatabase();
        } finally {
          await client.close();
          await server.stop();
        }
      },
    };
  });
}
