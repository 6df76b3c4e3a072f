import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createConfigListener,
  JOB_CONFIG_CHANNEL,
} from '../../../src/jobs/engine/config-listener.ts';
import { silentLogger } from '../../../src/logger.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('job configuration listener', () => {
  let db: TestDatabase;
  // Each test's listener connects under its own application_name, so pg_stat_activity shows
  // exactly its connections (LISTENing or not yet).
  let appName: string;
  let listenerUrl: string;

  beforeEach(async () => {
    db = await createTestDatabase();
    appName = `rw_listener_${randomBytes(4).toString('hex')}`;
    listenerUrl = `${db.url}?application_name=${appName}`;
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await db.drop();
  });

  const connections = async () =>
    (
      await db.sql<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = $2',
        [db.name, appName],
      )
    ).rows[0]?.n;
  const listening = async () =>
    (
      await db.sql<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'LISTEN%'",
        [db.name],
      )
    ).rows[0]?.n;
  const expectNoConnectionLeft = () =>
    vi.waitFor(
      async () => {
        expect(await connections()).toBe(0);
        expect(await listening()).toBe(0);
      },
      { timeout: 3000, interval: 50 },
    );
  /** Sends a NOTIFY and gives it time to arrive anywhere still listening. */
  const notifyAndWait = async () => {
    await db.sql('SELECT pg_notify($1, $2)', [JOB_CONFIG_CHANNEL, '42']);
    await sleep(300);
  };

  function listenerRecordingLateCalls() {
    const state = { stopRequested: false, late: [] as string[], calls: 0 };
    const listener = createConfigListener({
      databaseUrl: listenerUrl,
      logger: silentLogger(),
      reconnectMs: 20,
      onChange: (payload) => {
        state.calls += 1;
        if (state.stopRequested) state.late.push(payload);
      },
    });
    return { listener, state };
  }

  it('connects under its own application_name, even when the URL names one', async () => {
    const own = `${appName}_own`;
    const listener = createConfigListener({
      databaseUrl: listenerUrl,
      logger: silentLogger(),
      applicationName: own,
      onChange: () => {},
    });
    await listener.start();
    try {
      const { rows } = await db.sql<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = $2',
        [db.name, own],
      );
      expect(rows[0]?.n).toBe(1);
      expect(await connections()).toBe(0);
    } finally {
      await listener.stop();
    }
  });

  it('listens and reports changes', async () => {
    const { listener, state } = listenerRecordingLateCalls();
    const seen: string[] = [];
    const seenListener = createConfigListener({
      databaseUrl: listenerUrl,
      logger: silentLogger(),
      onChange: (payload) => seen.push(payload),
    });
    await seenListener.start();
    expect(seen).toEqual(['*']);
    await notifyAndWait();
    expect(seen).toEqual(['*', '42']);
    await seenListener.stop();
    await listener.stop();
    expect(state.calls).toBe(0);
    await expectNoConnectionLeft();
  });

  it('stop() during the initial connect leaves no connection and no callbacks', async () => {
    const { listener, state } = listenerRecordingLateCalls();
    const started = listener.start();
    state.stopRequested = true;
    await listener.stop();
    await started.catch(() => {});
    await expectNoConnectionLeft();
    await notifyAndWait();
    expect(state.late).toEqual([]);
  });

  it('stop() during a reconnect leaves no connection and no callbacks', async () => {
    const { listener, state } = listenerRecordingLateCalls();
    await listener.start();
    expect(await connections()).toBe(1);

    // Hold the reconnect between the TCP/auth handshake and LISTEN, so stop() lands mid-connect.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reconnecting = false;
    const realConnect = pg.Client.prototype.connect as (this: pg.Client) => Promise<unknown>;
    vi.spyOn(pg.Client.prototype, 'connect').mockImplementation(async function (this: pg.Client) {
      const connected = await realConnect.call(this);
      reconnecting = true;
      await gate;
      return connected;
    } as unknown as typeof pg.Client.prototype.connect);

    await db.sql(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2',
      [db.name, appName],
    );
    await vi.waitFor(() => expect(reconnecting).toBe(true), { timeout: 5000, interval: 10 });
    state.stopRequested = true;
    const stopping = listener.stop();
    release();
    await stopping;
    await expectNoConnectionLeft();
    await notifyAndWait();
    expect(state.late).toEqual([]);
  });

  it('a failed LISTEN ends the connection it opened', async () => {
    const realQuery = pg.Client.prototype.query;
    vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (
      this: pg.Client,
      ...args: unknown[]
    ) {
      if (typeof args[0] === 'string' && args[0].startsWith('LISTEN')) {
        return Promise.reject(new Error('LISTEN refused (test)'));
      }
      return (realQuery as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof realQuery);
    const { listener } = listenerRecordingLateCalls();
    await expect(listener.start()).rejects.toThrow('LISTEN refused (test)');
    vi.restoreAllMocks();
    await expectNoConnectionLeft();
    await listener.stop();
  });
});
