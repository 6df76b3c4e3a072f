import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page, Route, WebSocketRoute } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { buildApp } from '../../../src/http/app.ts';
import { createDashboardHandler } from '../../../src/http/dashboard.ts';
import { silentLogger } from '../../../src/logger.ts';
import { launchChromium } from '../../helpers/browser.ts';

const run = promisify(execFile);

/** The dashboard as this checkout builds it, served as riftwatch serves it, with no API behind. */
export async function serveDashboard() {
  const dir = await mkdtemp(join(tmpdir(), 'rw-dashboard-'));
  await run(process.execPath, ['scripts/build-dashboard.mjs', '--out-dir', dir]);
  const app = buildApp({
    logger: silentLogger(),
    health: async () => ({}),
    handlers: [createDashboardHandler({ dir })],
  });
  const base = `http://127.0.0.1:${await app.start(0, '127.0.0.1')}/`;
  return {
    base,
    stop: async () => {
      await app.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export type Call = {
  operation: string;
  variables: Record<string, unknown>;
  authorization: string | null;
};

/** A JSON answer (200 unless told), raw text (a proxy's page), or no answer at all. */
export type Answer =
  | { json: unknown; status?: number }
  | { text: string; status: number; contentType?: string }
  | 'unreachable';

export type Responder = (call: Call) => Answer | Promise<Answer>;

const operationOf = (query: string) =>
  /^\s*(?:query|mutation|subscription)\s+(\w+)/.exec(query)?.[1] ?? '';

async function fulfil(route: Route, answer: Answer) {
  if (answer === 'unreachable') return route.abort('connectionrefused');
  if ('json' in answer) return route.fulfill({ status: answer.status ?? 200, json: answer.json });
  return route.fulfill({
    status: answer.status,
    contentType: answer.contentType ?? 'text/html',
    body: answer.text,
  });
}

/**
 * The page's GraphQL, scripted: `respond` answers each query or mutation (by operation name;
 * a promise that never settles is a request never answered), and the graphql-ws socket is a
 * stand-in that accepts every subscription and delivers what `push` is given. `dropSocket` closes
 * it, as a server restart would; `silence` makes it say nothing more, not even pongs, as a
 * network that vanished would.
 */
export async function fakeApi(page: Page, respond: Responder) {
  const calls: Call[] = [];
  const sockets = new Map<WebSocketRoute, Map<string, string>>();
  const silent = new Set<WebSocketRoute>();
  let opened = 0;
  await page.route('**/graphql', async (route) => {
    const request = route.request();
    if (request.method() !== 'POST') return route.continue();
    const body = request.postDataJSON() as { query: string; variables?: Record<string, unknown> };
    const call = {
      operation: operationOf(body.query),
      variables: body.variables ?? {},
      authorization: (await request.allHeaders()).authorization ?? null,
    };
    calls.push(call);
    await fulfil(route, await respond(call));
  });
  await page.routeWebSocket(/\/graphql$/, (ws) => {
    const subscriptions = new Map<string, string>();
    opened += 1;
    sockets.set(ws, subscriptions);
    ws.onClose(() => sockets.delete(ws));
    ws.onMessage((raw) => {
      if (silent.has(ws)) return;
      const message = JSON.parse(String(raw)) as {
        type: string;
        id?: string;
        payload?: { query: string };
      };
      if (message.type === 'connection_init') ws.send(JSON.stringify({ type: 'connection_ack' }));
      else if (message.type === 'ping') ws.send(JSON.stringify({ type: 'pong' }));
      else if (message.type === 'subscribe' && message.id && message.payload)
        subscriptions.set(message.id, operationOf(message.payload.query));
      else if (message.type === 'complete' && message.id) subscriptions.delete(message.id);
    });
  });
  const subscribers = (operation: string) =>
    [...sockets].flatMap(([ws, subs]) =>
      [...subs].filter(([, op]) => op === operation).map(([id]) => ({ ws, id })),
    );
  return {
    calls,
    /** How many subscriptions to `operation` are open. */
    subscribed: (operation: string) => subscribers(operation).length,
    /** How many sockets the page has opened. */
    opened: () => opened,
    push(operation: string, data: unknown) {
      for (const { ws, id } of subscribers(operation))
        ws.send(JSON.stringify({ id, type: 'next', payload: { data } }));
    },
    /** Ends each subscription to `operation` with an error, as a server ends one fallen behind. */
    fail(operation: string, message: string) {
      for (const { ws, id } of subscribers(operation)) {
        ws.send(JSON.stringify({ id, type: 'error', payload: [{ message }] }));
        sockets.get(ws)?.delete(id);
      }
    },
    dropSocket() {
      for (const ws of sockets.keys()) ws.close({ code: 1012, reason: 'Service restart' });
    },
    silence() {
      for (const ws of sockets.keys()) silent.add(ws);
    },
  };
}

export type FakeApi = Awaited<ReturnType<typeof fakeApi>>;

/**
 * The dashboard served and a headless Chromium, for the tests of one describe block: `open`
 * loads the page on a scripted API; each test's page is closed after it. With `fakeClock` the
 * page's timers are Playwright's (`page.clock`): time runs as usual until a test moves it on.
 */
export function dashboardSession() {
  let served: Awaited<ReturnType<typeof serveDashboard>>;
  let browser: Browser;
  const pages: Page[] = [];
  beforeAll(async () => {
    served = await serveDashboard();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });
  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close();
  });
  return {
    async open(
      respond: Responder,
      viewport: { width: number; height: number },
      hash = '',
      { fakeClock = false } = {},
    ) {
      const page = await browser.newPage({ viewport });
      pages.push(page);
      if (fakeClock) await page.clock.install();
      const api = await fakeApi(page, respond);
      await page.goto(`${served.base}${hash}`);
      return { page, api };
    },
  };
}
