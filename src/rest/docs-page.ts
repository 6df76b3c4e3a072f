import { type Handler, methodNotAllowed, sendError } from '../http/app.ts';
import { type OpenApiDocument, openApiDocument } from './openapi.ts';

const html = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

type Operation = {
  summary: string;
  description: string;
  parameters: { name: string; in: string; description: string }[];
  responses: Record<string, { description: string }>;
};

/** The API description as one self-contained page (no script, no CDN): it renders offline. */
function docsPage(doc: OpenApiDocument): string {
  const rows = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods as Record<string, Operation>).map(([method, op]) => {
      const params = op.parameters
        .map((p) => `<code>${html(p.name)}</code> (${p.in}): ${html(p.description)}`)
        .join('<br>');
      const statuses = Object.keys(op.responses).join(', ');
      return `<tr><td class="m ${method}">${method.toUpperCase()}</td><td><code>${html(path)}</code></td>
<td>${html(op.summary)}<br><small>${html(op.description)}</small></td><td>${params}</td><td>${statuses}</td></tr>`;
    }),
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${html(doc.info.title)}</title>
<style>
body{font:15px/1.4 system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.4rem;vertical-align:top;text-align:left}
.m{font-weight:bold;font-family:monospace}.get{color:#06c}.post{color:#080}.patch{color:#a60}.delete{color:#c00}
small{color:#666}code{background:#f4f4f4;padding:0 .2rem}
</style></head><body>
<h1>${html(doc.info.title)}</h1>
<p>${html(doc.info.description)}</p>
<p><a href="/docs/openapi.json">OpenAPI document</a> · <a href="/graphql">GraphiQL</a> (the GraphQL API, with examples) · <a href="/metrics">Prometheus metrics</a> · <a href="/health">health</a></p>
<p>Errors: <code>{ "error": { "code": "NOT_FOUND", "message": "…" } }</code>, with the status: 400 INVALID_INPUT, 401 UNAUTHENTICATED, 404 NOT_FOUND, 405 METHOD_NOT_ALLOWED (Allow), 409 LIMIT_REACHED or CONFLICT, 413 INVALID_INPUT (body too large), 429 RATE_LIMITED (Retry-After), 503 RIOT_UNAVAILABLE or UNAVAILABLE (riftwatch is stopping).</p>
<table><thead><tr><th>Method</th><th>Path</th><th>What</th><th>Parameters</th><th>Statuses</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
</body></html>
`;
}

/** GET /docs (HTML) and /docs/openapi.json. */
export function createDocsHandler(): Handler {
  const doc = openApiDocument();
  const json = `${JSON.stringify(doc, null, 2)}\n`;
  const page = docsPage(doc);
  return {
    matches: (path) => path === '/docs' || path.startsWith('/docs/'),
    async handle(req, res, url) {
      const path = url.pathname.replace(/\/$/, '');
      if (path !== '/docs' && path !== '/docs/openapi.json') {
        sendError(res, 404, 'NOT_FOUND', `No such path: ${path}`);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        methodNotAllowed(res, ['GET']);
        return;
      }
      const isJson = path.endsWith('.json');
      res.writeHead(200, {
        'content-type': isJson ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
      });
      res.end(isJson ? json : page);
    },
  };
}
