import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Handler, methodNotAllowed } from './app.ts';

/**
 * Where `npm run build:dashboard` writes the bundle: build/dashboard/ at the project's root, found
 * from src/http/ (tsx) and from dist/http/ (the production build) alike.
 */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../build/dashboard/', import.meta.url));

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** `app-3FJ2KQ7A.js`: esbuild's content hash makes a name's bytes never change. */
const ASSET = /^[a-z]+-[A-Z0-9]{8}\.(js|css)$/;

// The page loads only its own bundle and talks only to its own origin (GraphQL over HTTP and
// graphql-ws); anything else a browser would refuse.
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const NOT_BUILT_STYLE = 'body{font:16px/1.5 system-ui,sans-serif;margin:2rem;max-width:40rem}';

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>riftwatch: dashboard not built</title>
<style>${NOT_BUILT_STYLE}</style></head>
<body>
<h1>The dashboard is not built</h1>
<p>Its bundle is made at install time (<code>npm ci</code> / <code>npm install</code>) and by
<code>npm run build</code>. Build it on its own with:</p>
<pre>npm run build:dashboard</pre>
<p>then reload this page. The API works meanwhile: <a href="/graphql">GraphQL</a>,
<a href="/docs">REST</a>, <a href="/health">health</a>.</p>
</body></html>
`;

// The page's policy, but for its one inline stylesheet, allowed by its hash.
const NOT_BUILT_HEADERS = {
  ...PAGE_HEADERS,
  'cache-control': 'no-store',
  'content-security-policy': PAGE_HEADERS['content-security-policy'].replace(
    "style-src 'self'",
    `style-src 'sha256-${createHash('sha256').update(NOT_BUILT_STYLE).digest('base64')}'`,
  ),
};

/** GET / (the dashboard's page) and /dashboard/<asset>, read from the built bundle. */
export function createDashboardHandler(options: { dir?: string } = {}): Handler {
  const dir = options.dir ?? DASHBOARD_DIR;
  return {
    matches: (path) => path === '/' || path === '/index.html' || path.startsWith('/dashboard/'),
    async handle(req, res, url) {
      const path = url.pathname;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        methodNotAllowed(res, ['GET']);
        return;
      }
      if (!path.startsWith('/dashboard/')) {
        const page = await readIfExists(join(dir, 'index.html'));
        if (page) send(res, 200, PAGE_HEADERS, page);
        else send(res, 503, NOT_BUILT_HEADERS, NOT_BUILT);
        return;
      }
      const name = path.slice('/dashboard/'.length);
      const body = ASSET.test(name) ? await readIfExists(join(dir, name)) : null;
      if (!body) {
        send(res, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'Not found\n');
        return;
      }
      const headers = {
        'content-type': TYPES[extname(name)] as string,
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
      };
      send(res, 200, headers, body);
    },
  };
}

async function readIfExists(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Buffer | string,
): void {
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}
