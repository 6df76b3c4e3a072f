import { createAdminAuth } from '../../src/graphql/auth.ts';
import type { GraphQLDeps } from '../../src/graphql/context.ts';
import { createGraphQLServer } from '../../src/graphql/server.ts';
import { createMutationThrottle } from '../../src/graphql/throttle.ts';
import { createJobOperations } from '../../src/jobs/admin/operations.ts';
import type { JobEngine } from '../../src/jobs/engine/index.ts';

/**
 * The GraphQL layer for reads (tests and benches): the tracking use-cases are not reachable, and
 * the admin token is one nobody sends.
 */
export function readOnlyGraphQLServer(
  deps: Pick<
    GraphQLDeps,
    'prisma' | 'sql' | 'limiter' | 'pubsub' | 'logger' | 'maxLiveConnectionsPerAddress'
  > & { engine: JobEngine },
) {
  const unused = () => Promise.reject(new Error('not used here'));
  return createGraphQLServer({
    ...deps,
    players: { track: unused, untrack: unused },
    jobs: createJobOperations({ prisma: deps.prisma, engine: deps.engine }),
    auth: createAdminAuth({ adminToken: 'read-only' }),
    throttle: createMutationThrottle(),
  });
}
