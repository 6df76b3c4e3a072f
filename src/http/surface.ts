import type { GraphQLServer } from '../graphql/server.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics/index.ts';
import { createDocsHandler } from '../rest/docs-page.ts';
import { createRestHandler } from '../rest/router.ts';
import { type App, buildApp, type HealthCheck } from './app.ts';
import { createDashboardHandler } from './dashboard.ts';

/** Everything on the HTTP port: /health, /graphql, the REST paths, /docs, /metrics and the dashboard. */
export function buildHttpSurface(deps: {
  logger: Logger;
  graphql: GraphQLServer;
  health: HealthCheck;
  metrics?: Metrics;
  shutdownGraceMs?: number;
  /** See AppDeps.ready. */
  ready?: Promise<void>;
}): App {
  return buildApp({
    logger: deps.logger,
    health: deps.health,
    graphql: deps.graphql.mount(),
    handlers: [
      createRestHandler({ yoga: deps.graphql.yoga }),
      createDocsHandler(),
      createDashboardHandler(),
      ...(deps.metrics ? [deps.metrics.handler()] : []),
    ],
    ...(deps.shutdownGraceMs !== undefined && { shutdownGraceMs: deps.shutdownGraceMs }),
    ...(deps.ready && { ready: deps.ready }),
  });
}
