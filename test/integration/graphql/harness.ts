import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdminAuth } from '../../../src/graphql/auth.ts';
import type { GraphQLDeps } from '../../../src/graphql/context.ts';
import { createGraphQLServer } from '../../../src/graphql/server.ts';
import { createMutationThrottle, type ThrottleSettings } from '../../../src/graphql/throttle.ts';
import { buildApp } from '../../../src/http/app.ts';
import { createJobOperations } from '../../../src/jobs/admin/operations.ts';
import type { JobRegistry } from '../../../src/jobs/engine/index.ts';
import { createPlayerTracking } from '../../../src/players/tracking.ts';
import { countingPrisma } from '../../helpers/counting-prisma.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { readOnlyGraphQLServer } from '../../helpers/read-only-graphql.ts';
import { sleepyRegistry, startEngine } from '../jobs/engine-harness.ts';
import { startPair } from '../riot/helpers.ts';

export const TOKEN = 'test-admin-token';

/** Response JSON, walked by assertions that check its shape themselves. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions over untyped JSON
export type Loose = any;

export type GraphQLResult = {
  data?: Record<string, Loose> | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, Loose> }[];
};

/** The GraphQL layer over a real engine, the Riot simulator and the test database. */
export async function startGraphQL(
  db: TestDatabase,
  options: {
    adminToken?: string | null;
    registry?: JobRegistry;
    throttle?: ThrottleSettings;
    maxTrackedPlayers?: number;
    schedulerEnabled?: boolean;
    /** Envelop plugins that observe every operation. */
    plugins?: GraphQLDeps['plugins'];
    maxLiveConnectionsPerAddress?: number;
  } = {},
) {
  const handle = await startEngine(db, {
    registry: options.registry ?? sleepyRegistry,
    schedulerEnabled: options.schedulerEnabled ?? true,
  });
  const pair = await startPair();
  const server = createGraphQLServer({
    prisma: db.prisma,
    sql: db.pool,
    players: createPlayerTracking({
      prisma: db.prisma,
      riot: pair.client,
      maxTrackedPlayers: options.maxTrackedPlayers ?? 3,
      defaultPlatform: 'euw1',
    }),
    jobs: createJobOperations({ prisma: db.prisma, engine: handle.engine }),
    engine: handle.engine,
    limiter: pair.limiter,
    pubsub: handle.pubsub,
    auth: createAdminAuth({
      adminToken: options.adminToken === null ? undefined : (options.adminToken ?? TOKEN),
    }),
    throttle: createMutationThrottle(options.throttle ?? { burst: 1000, perMinute: 60_000 }),
    logger: handle.logs.logger,
    plugins: options.plugins,
    maxLiveConnectionsPerAddress: options.maxLiveConnectionsPerAddress,
  });

  /** One request through `yoga.fetch`; `token: null` sends no Authorization header. */
  async function gql(
    query: string,
    variables: Record<string, unknown> = {},
    opts: { token?: string | null; address?: string; headers?: Record<string, string> } = {},
  ): Promise<GraphQLResult> {
    const token = opts.token === undefined ? TOKEN : opts.token;
    const response = await server.yoga.fetch(
      'http://localhost/graphql',
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token !== null && { authorization: `Bearer ${token}` }),
          ...opts.headers,
        },
        body: JSON.stringify({ query, variables }),
      },
      { req: { socket: { remoteAddress: opts.address ?? '203.0.113.7' } } } as never,
    );
    return (await response.json()) as GraphQLResult;
  }

  /** The same layer on a real HTTP server (port 0), for graphql-ws and SSE. */
  async function listen() {
    const app = buildApp({
      logger: handle.logs.logger,
      health: async () => ({}),
      graphql: server.mount(),
      shutdownGraceMs: 300,
    });
    const port = await app.start(0, '127.0.0.1');
    return { app, port, url: `http://127.0.0.1:${port}/graphql` };
  }

  return {
    ...handle,
    pair,
    server,
    gql,
    listen,
    stop: async () => {
      await handle.engine.stop();
      await pair.simulator.stop();
    },
  };
}

type GraphQLWorld = Awaited<ReturnType<typeof startGraphQL>>;

/**
 * A second GraphQL layer over the same engine for reads only (the tracking use-cases are not
 * reachable), on the given Prisma client and pool and, by default, the world's pubsub.
 */
export function readOnlyGraphQL(
  g: GraphQLWorld,
  clients: { prisma: GraphQLDeps['prisma']; pool: GraphQLDeps['sql'] },
  pubsub: GraphQLDeps['pubsub'] = g.pubsub,
) {
  return readOnlyGraphQLServer({
    prisma: clients.prisma,
    sql: clients.pool,
    engine: g.engine,
    limiter: g.pair.limiter,
    pubsub,
    logger: g.logs.logger,
  });
}

/**
 * A test database seeded with `seed`, the GraphQL layer on it (its scheduler off), and `server`:
 * the same layer reading through a client that counts its statements and rows (`counter`).
 */
export async function startCountingGraphQL(seed: string) {
  const db = await createTestDatabase();
  await db.sql(seed);
  const g = await startGraphQL(db, { schedulerEnabled: false });
  const counting = countingPrisma(db.url);
  const server = readOnlyGraphQL(g, counting);
  return {
    db,
    g,
    server,
    counter: counting.counter,
    async stop() {
      await counting.prisma.$disconnect();
      await counting.pool.end();
      await g.stop();
      await db.drop();
    },
  };
}

export const errorCode = (result: GraphQLResult) => result.errors?.[0]?.extensions?.code;

export { type AddressInfo, createServer };
