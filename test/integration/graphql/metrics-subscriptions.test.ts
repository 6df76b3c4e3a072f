import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createConnectionLimit } from '../../../src/graphql/connection-limit.ts';
import { createMaskError } from '../../../src/graphql/mask-error.ts';
import { serveWebSocket } from '../../../src/graphql/websocket.ts';
import { silentLogger } from '../../../src/logger.ts';
import { createGraphQLMetrics } from '../../../src/metrics/graphql-metrics.ts';
import { waitFor } from '../../helpers/wait.ts';
import { collect, wsClient } from './live-clients.ts';

// A stream that fails after its first event, as one whose subscriber fell too far behind does.
const schema = createSchema({
  typeDefs: 'type Query { ok: Boolean } type Subscription { tick: Int }',
  resolvers: {
    Subscription: {
      tick: {
        subscribe: async function* () {
          yield { tick: 1 };
          throw new Error('the stream failed');
        },
      },
    },
  },
});

const registry = new Registry();
const metrics = createGraphQLMetrics(registry);
const yoga = createYoga({ schema, plugins: [metrics.plugin], logging: false });
const server = createServer(yoga);
const logger = silentLogger();
let url = '';
beforeAll(async () => {
  serveWebSocket({
    server,
    path: '/graphql',
    maxPayload: 65_536,
    yoga: yoga as never,
    maskError: createMaskError(logger),
    log: logger,
    limit: createConnectionLimit(logger),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const active = async () =>
  (await registry.getSingleMetric('riftwatch_graphql_subscriptions_active')?.get())?.values[0]
    ?.value;

test('a subscription that fails over graphql-ws is no longer counted as open', async () => {
  const client = wsClient(url);
  for (let i = 0; i < 3; i++) {
    await expect(collect(client, 'subscription { tick }')).rejects.toBeDefined();
  }
  await waitFor(async () => ((await active()) === 0 ? true : null), 2000, 'no open subscription');
  await client.dispose();
});

test('… nor over SSE, counted once', async () => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: 'subscription { tick }' }),
  });
  await response.text();
  await waitFor(async () => ((await active()) === 0 ? true : null), 2000, 'no open subscription');
  // Never below zero: an end seen twice is counted once.
  expect(await active()).toBe(0);
});
