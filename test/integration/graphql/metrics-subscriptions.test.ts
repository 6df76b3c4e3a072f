import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { AppError, ERROR_CODE } from '../../../src/errors.ts';
import { SubscriberBehindError } from '../../../src/events/backlog.ts';
import { createConnectionLimit } from '../../../src/graphql/connection-limit.ts';
import { createMaskError } from '../../../src/graphql/mask-error.ts';
import { serveWebSocket } from '../../../src/graphql/websocket.ts';
import { silentLogger } from '../../../src/logger.ts';
import { createGraphQLMetrics } from '../../../src/metrics/graphql-metrics.ts';
import { waitFor } from '../../helpers/wait.ts';
import { collect, wsClient } from './live-clients.ts';

// Streams that fail after their first event: by accident, and as one whose subscriber fell too
// far behind does; and one refused as it starts, as a subscription to an unknown id is.
const schema = createSchema({
  typeDefs: 'type Query { ok: Boolean } type Subscription { tick: Int behind: Int missing: Int }',
  resolvers: {
    Subscription: {
      tick: {
        subscribe: async function* () {
          yield { tick: 1 };
          throw new Error('the stream failed');
        },
      },
      behind: {
        subscribe: async function* () {
          yield { behind: 1 };
          throw new SubscriberBehindError(1000, false);
        },
      },
      missing: {
        // biome-ignore lint/correctness/useYield: refused before its first event
        subscribe: async function* () {
          throw new AppError(ERROR_CODE.notFound, 'No such execution');
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
    draining: () => false,
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

const errorsWith = async (code: string) =>
  (await registry.getSingleMetric('riftwatch_graphql_errors_total')?.get())?.values.find(
    (v) => v.labels.type === 'subscription' && v.labels.code === code,
  )?.value ?? 0;

test('a stream that fails or is refused counts as an error by its code, over graphql-ws and SSE', async () => {
  const client = wsClient(url);
  const cases = [
    ['tick', 'INTERNAL_SERVER_ERROR'],
    ['behind', 'LIMIT_REACHED'],
    ['missing', 'NOT_FOUND'],
  ] as const;
  for (const [field, code] of cases) {
    const before = await errorsWith(code);
    await expect(collect(client, `subscription { ${field} }`)).rejects.toBeDefined();
    const sse = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: `subscription { ${field} }` }),
    });
    await sse.text();
    await waitFor(async () => ((await errorsWith(code)) - before === 2 ? true : null), 2000, code);
  }
  await client.dispose();
});
