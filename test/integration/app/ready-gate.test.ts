import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../../src/http/app.ts';
import { silentLogger } from '../../../src/logger.ts';
import { createTestDatabase } from '../../helpers/database.ts';
import { runUntilExit } from '../../helpers/process.ts';
import { waitFor } from '../../helpers/wait.ts';

const listening = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
};

// The port is bound before the job engine starts; what arrives meanwhile must wait for it.
describe('an HTTP server bound before it is ready', () => {
  let app: App | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  function gated() {
    let open = () => {};
    let fail = (_error: Error) => {};
    const ready = new Promise<void>((resolve, reject) => {
      open = resolve;
      fail = reject;
    });
    let checks = 0;
    app = buildApp({
      logger: silentLogger(),
      health: async () => {
        checks += 1;
        return { status: 'ok' };
      },
      ready,
    });
    return { app, open, fail, checks: () => checks };
  }

  it('holds a request until ready, then answers it', async () => {
    const server = gated();
    const base = `http://127.0.0.1:${await server.app.start(0, '127.0.0.1')}`;
    let answered = false;
    const response = fetch(`${base}/health`).then((r) => {
      answered = true;
      return r;
    });
    // Long enough for an ungated server to answer many times over.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered).toBe(false);
    expect(server.checks()).toBe(0);
    server.open();
    expect((await response).status).toBe(200);
    expect(server.checks()).toBe(1);
    // From then on, at once.
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('answers 503 to the requests it held when the start failed', async () => {
    const server = gated();
    const base = `http://127.0.0.1:${await server.app.start(0, '127.0.0.1')}`;
    const response = fetch(`${base}/health`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    server.fail(new Error('engine did not start'));
    const answer = await response;
    expect(answer.status).toBe(503);
    expect(await answer.json()).toMatchObject({ error: { code: 'UNAVAILABLE' } });
    expect(server.checks()).toBe(0);
  });

  it('answers 503 to the requests it held when it stops before it is ready', async () => {
    const server = gated();
    const base = `http://127.0.0.1:${await server.app.start(0, '127.0.0.1')}`;
    const response = fetch(`${base}/health`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await server.app.stopAccepting();
    const answer = await response;
    expect(answer.status).toBe(503);
    expect(await answer.json()).toMatchObject({
      error: { code: 'UNAVAILABLE', message: 'riftwatch is stopping' },
    });
    expect(server.checks()).toBe(0);
  });
});

describe('riftwatch starting', () => {
  it('answers 503 to a request held during a start-up that fails after listening', async () => {
    const db = await createTestDatabase();
    // The job store: takes the connection and holds it until the test drops it, which fails the
    // job engine's start once the HTTP port is open.
    const held: Socket[] = [];
    const store = createServer((socket) => held.push(socket));
    const free = createServer();
    const port = await listening(free);
    await new Promise((resolve) => free.close(resolve));
    try {
      const run = runUntilExit({
        DATABASE_URL: db.url,
        PORT: String(port),
        JOB_STORE_URL: `postgres://rw:pw@127.0.0.1:${await listening(store)}/x`,
        RIOT_API_BASE_URL: 'http://127.0.0.1:9/{routing}',
      });
      await waitFor(async () => held.length > 0, 30_000, 'the job store connection');
      const health = fetch(`http://127.0.0.1:${port}/health`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const socket of held) socket.destroy();
      const answer = await health;
      expect(answer.status).toBe(503);
      expect(await answer.json()).toMatchObject({
        error: { code: 'UNAVAILABLE', message: 'riftwatch failed to start and is stopping' },
      });
      const exited = await run;
      expect(exited.code).toBe(1);
      expect(exited.stderr).toContain('(JOB_STORE_URL)');
    } finally {
      store.close();
      await db.drop();
    }
  }, 60_000);
});
