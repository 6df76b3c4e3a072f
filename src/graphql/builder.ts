import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import type PrismaTypes from '../generated/pothos-prisma-types.ts';
import { getDatamodel } from '../generated/pothos-prisma-types.ts';
import type { GraphQLContext } from './context.ts';
import './loaded-columns.ts';
import './stable-paths.ts';
import { checkNodeType } from './ids.ts';
import { complexityError, UnauthenticatedError } from './request-errors.ts';

/** The schema builder's configuration; the types live in ./schema/, one file per domain. */
export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  PrismaTypes: PrismaTypes;
  AuthScopes: { admin: boolean };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: true;
}>({
  // Validation maps a field's arguments before any plugin's resolver wrapper runs, whatever the
  // order here: invalid input is answered before scope auth is asked (neither changes anything).
  // Scope auth first: a refused caller never reaches a resolver. Errors before validation (with
  // unsafelyHandleInputErrors) so invalid input becomes a typed result. The two local plugins
  // wrap plugin-prisma's field resolvers, so they come right before it.
  plugins: [
    ScopeAuthPlugin,
    ErrorsPlugin,
    ValidationPlugin,
    'loadedColumns',
    'stablePaths',
    PrismaPlugin,
    RelayPlugin,
    ComplexityPlugin,
  ],
  defaultFieldNullability: false,
  defaultInputFieldRequiredness: true,
  scopeAuth: {
    authScopes: (ctx) => ({ admin: ctx.caller.isAdmin }),
    unauthorizedError: (_parent, ctx) => new UnauthenticatedError(ctx.caller.refusal),
  },
  errors: {
    unsafelyHandleInputErrors: true,
    directResult: true,
    defaultUnionOptions: {
      name: ({ fieldName }) => `${fieldName[0]?.toUpperCase()}${fieldName.slice(1)}Result`,
    },
  },
  prisma: {
    // Only the plugin reaches the client this way (relations it could not preload); resolvers
    // use the read-only views and use-cases in the context.
    client: (ctx) => ctx.prismaForPlugin,
    dmmf: getDatamodel(),
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: {
      nullable: true,
      resolve: (_root, { id }, _ctx, info, resolveNode) => {
        checkNodeType(info.schema, id);
        return resolveNode(id);
      },
    },
    nodesQueryOptions: false,
  },
  complexity: {
    // A list costs what its arguments fetch: connections multiply by `first`/`last`, histories
    // by `limit` (see schema/pagination.ts); other lists are short.
    defaultComplexity: 1,
    defaultListMultiplier: 1,
    limit: { complexity: 5000, depth: 12, breadth: 300 },
    complexityError,
  },
});
