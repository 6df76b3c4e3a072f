import { afterAll, beforeAll, expect, test } from 'vitest';
import { type App, buildApp } from '../../../src/http/app.ts';
import { silentLogger } from '../../../src/logger.ts';
import { createDocsHandler } from '../../../src/rest/docs-page.ts';
import { ROUTES } from '../../../src/rest/router.ts';
import { capturingLogger, flushLogs } from '../../unit/riot/limiter-helpers.ts';
import type { Loose } from './harness.ts';

let app: App;
let base: string;
beforeAll(async () => {
  app = buildApp({
    logger: silentLogger(),
    health: async () => ({}),
    handlers: [createDocsHandler()],
  });
  base = `http://127.0.0.1:${await app.start(0, '127.0.0.1')}`;
});
afterAll(() => app?.stop());

test('/docs: the OpenAPI document lists every route, and the page renders it without scripts', async () => {
  const spec = { json: (await (await fetch(`${base}/docs/openapi.json`)).json()) as Loose };
  expect(spec.json.openapi).toBe('3.0.3');
  const described = Object.entries(spec.json.paths).flatMap(([path, ops]) =>
    Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${path}`),
  );
  expect(described.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  expect(spec.json.paths['/api/v1/jobs/{job_id}/trigger'].post.responses).toHaveProperty('202');
  expect(spec.json.components.schemas.Error.properties.error.properties.code.enum).toContain(
    'METHOD_NOT_ALLOWED',
  );
  // A body over the limit: only where one is read.
  expect(spec.json.paths['/api/v1/jobs/{job_id}'].patch.responses).toHaveProperty('413');
  expect(spec.json.paths['/api/v1/jobs/{job_id}'].get.responses).not.toHaveProperty('413');

  const page = await fetch(`${base}/docs`);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await page.text();
  expect(html).not.toMatch(/<script|https?:\/\//);
  for (const route of ROUTES) expect(html).toContain(`<code>${route.path}</code>`);
  expect(html).toContain('href="/graphql"');
  expect(html).toContain('href="/docs/openapi.json"');
});

test('/docs answers only its two pages', async () => {
  expect((await fetch(`${base}/docs/`)).status).toBe(200);
  expect((await fetch(`${base}/docs/other`)).status).toBe(404);
  const posted = await fetch(`${base}/docs`, { method: 'POST' });
  expect({ status: posted.status, allow: posted.headers.get('allow') }).toEqual({
    status: 405,
    allow: 'GET, HEAD',
  });
});

test('an unexpected failure answers 500 with the request id its log line carries', async () => {
  const { logger, lines } = capturingLogger();
  const failing = buildApp({
    logger,
    health: async () => ({}),
    handlers: [
      {
        matches: (path) => path === '/boom',
        handle: async () => {
          throw new Error('handler bug');
        },
      },
    ],
  });
  const port = await failing.start(0, '127.0.0.1');
  try {
    const response = await fetch(`http://127.0.0.1:${port}/boom`);
    expect(response.status).toBe(500);
    const body = (await response.json()) as Loose;
    expect(body.error).toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
      message: 'Unexpected error.',
    });
    await flushLogs();
    const logged = lines.find((l) => l.msg === 'Unhandled HTTP error');
    expect(logged?.request_id).toBe(body.error.requestId);
    expect(JSON.stringify(body)).not.toContain('handler bug');
  } finally {
    await failing.stop();
  }
});
