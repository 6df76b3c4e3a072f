import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../../src/http/app.ts';
import { createDashboardHandler } from '../../../src/http/dashboard.ts';
import { silentLogger } from '../../../src/logger.ts';

const run = promisify(execFile);

// XML namespace names Preact compares element namespaces with: identifiers, never fetched.
const NAMESPACES = new Set([
  'http://www.w3.org/2000/svg',
  'http://www.w3.org/1999/xhtml',
  'http://www.w3.org/1998/Math/MathML',
]);
const URL_LIKE = /(?:[a-z][a-z0-9+.-]*:)?\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s"'`)]*/gi;

async function serve(dir: string): Promise<{ app: App; base: string }> {
  const app = buildApp({
    logger: silentLogger(),
    health: async () => ({}),
    handlers: [createDashboardHandler({ dir })],
  });
  return { app, base: `http://127.0.0.1:${await app.start(0, '127.0.0.1')}` };
}

describe('the built dashboard', () => {
  let dir: string;
  let served: { app: App; base: string };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rw-dashboard-'));
    await run(process.execPath, ['scripts/build-dashboard.mjs', '--out-dir', dir]);
    served = await serve(dir);
  }, 60_000);
  afterAll(async () => {
    await served?.app.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('/ serves the page, which loads only its own hashed bundle', async () => {
    const page = await fetch(`${served.base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const scripts = [...html.matchAll(/src="([^"]+)"/g)].map((m) => m[1]);
    const styles = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toEqual([expect.stringMatching(/^\/dashboard\/app-[A-Z0-9]{8}\.js$/)]);
    expect(styles).toEqual([expect.stringMatching(/^\/dashboard\/styles-[A-Z0-9]{8}\.css$/)]);

    const js = await fetch(`${served.base}${scripts[0]}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const css = await fetch(`${served.base}${styles[0]}`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain('.gauge-line');
    const head = await fetch(`${served.base}${scripts[0]}`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(js.headers.get('content-length'));
  });

  it('the bundle names no external URL: the dashboard works offline', async () => {
    const files = await readdir(dir);
    expect(files.filter((f) => f.endsWith('.js'))).toHaveLength(1);
    for (const file of files) {
      const text = await (
        await fetch(`${served.base}/${file === 'index.html' ? '' : `dashboard/${file}`}`)
      ).text();
      const urls = [...text.matchAll(URL_LIKE)].map((m) => m[0]).filter((u) => !NAMESPACES.has(u));
      expect(urls, file).toEqual([]);
    }
    // The bundle really is the app: Preact, the graphql-ws client and the dashboard's documents.
    const js = files.find((f) => f.endsWith('.js')) as string;
    const bundle = await (await fetch(`${served.base}/dashboard/${js}`)).text();
    expect(bundle).toContain('graphql-transport-ws');
    expect(bundle).toContain('subscription DashboardProgress');
    expect(bundle.length).toBeLessThan(120_000);
  });

  it('answers only its own files', async () => {
    expect((await fetch(`${served.base}/dashboard/app-AAAAAAAA.js`)).status).toBe(404);
    expect((await fetch(`${served.base}/dashboard/..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${served.base}/dashboard/index.html`)).status).toBe(404);
    const post = await fetch(`${served.base}/`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    // The error body every path answers a wrong method with.
    expect(post.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await post.json()).toEqual({
      error: { code: 'METHOD_NOT_ALLOWED', message: 'Allowed: GET, HEAD' },
    });
  });
});

it('without a built bundle, / says how to build it (no 500)', async () => {
  const empty = await mkdtemp(join(tmpdir(), 'rw-dashboard-empty-'));
  const { app, base } = await serve(join(empty, 'missing'));
  try {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(503);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const text = await page.text();
    expect(text).toContain('npm run build:dashboard');
    // Its policy lets its one stylesheet apply: inline styles are allowed by their hash only.
    expect(text).not.toMatch(/ style=/);
    const style = /<style>(.*)<\/style>/s.exec(text)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(page.headers.get('content-security-policy')).toContain(`style-src 'sha256-${hash}'`);
    expect((await fetch(`${base}/dashboard/app-AAAAAAAA.js`)).status).toBe(404);
  } finally {
    await app.stop();
    await rm(empty, { recursive: true, force: true });
  }
});
