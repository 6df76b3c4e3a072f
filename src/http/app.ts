import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.ts';

export type HealthCheck = () => Promise<Record<string, unknown>>;

export type AppDeps = { logger: Logger; health: HealthCheck };

export type App = {
  server: Server;
  start(port: number, host?: string): Promise<number>;
  stop(): Promise<void>;
};

/** The HTTP front door. GraphQL, REST compatibility and the dashboard mount here as they land. */
export function buildApp(deps: AppDeps): App {
  const server = createServer((req, res) => {
    route(req, res, deps).catch((error: unknown) => {
      deps.logger.error({ err: error, url: req.url }, 'Unhandled HTTP error');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.end();
    });
  });
  return {
    server,
    start: (port, host = '0.0.0.0') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

async function route(req: IncomingMessage, res: ServerResponse, deps: AppDeps): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method === 'GET' && path === '/health') {
    try {
      sendJson(res, 200, { status: 'ok', ...(await deps.health()) });
    } catch (error) {
      deps.logger.warn({ err: error }, 'Health check failed');
      sendJson(res, 503, { status: 'unavailable' });
    }
    return;
  }
  sendJson(res, 404, { error: 'not found', path });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
