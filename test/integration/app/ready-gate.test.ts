import { afterEach, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../../src/http/app.ts';
import { silentLogger } from '../../../src/logger.ts';

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
});
