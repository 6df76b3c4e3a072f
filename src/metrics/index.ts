import { collectDefaultMetrics, Registry } from 'prom-client';
import { type Handler, methodNotAllowed } from '../http/app.ts';
import { createGraphQLMetrics } from './graphql-metrics.ts';
import { createJobMetrics } from './job-metrics.ts';
import { createRiotMetrics } from './riot-metrics.ts';

/**
 * One Prometheus registry per process: jobs (from the pubsub), Riot traffic (the client's hook
 * and the limiter), GraphQL (an envelop plugin), plus Node's process metrics.
 */
export function createMetrics(options: { processMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const jobs = createJobMetrics(registry);
  const riot = createRiotMetrics(registry);
  const graphql = createGraphQLMetrics(registry);
  return {
    registry,
    jobs,
    riot,
    graphql,
    /** GET /metrics in the Prometheus text format. */
    handler: (): Handler => ({
      matches: (path) => path === '/metrics',
      async handle(req, res) {
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          methodNotAllowed(res, ['GET']);
          return;
        }
        const text = await registry.metrics();
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(text);
      },
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
