import SchemaBuilder, {
  BasePlugin,
  createContextCache,
  type PothosOutputFieldConfig,
  type SchemaTypes,
} from '@pothos/core';
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';

type Resolver = GraphQLFieldResolver<unknown, object, object>;
type Path = GraphQLResolveInfo['path'];
type Link = Path & { prev: Link | undefined; children?: Map<string | number, Link> };

/** Contexts of operations that graphql-jit executes (see compiled-queries.ts). */
const compiled = new WeakSet<object>();

export function markCompiled(context: object): void {
  compiled.add(context);
}

/**
 * The extension of a field that selects nothing of its parent row but plans the Prisma selection
 * beneath it (queryFromInfo): its plan is recorded against its path, so it needs the stable one.
 */
export const PLANS_BELOW = 'riftwatchPlansBelow';

const roots = createContextCache(() => new Map<string | number, Link>());

/** The one link of this request for `path`'s keys, made the first time they are met. */
function intern(rootLinks: Map<string | number, Link>, path: Path): Link {
  const prev = path.prev ? intern(rootLinks, path.prev) : undefined;
  if (prev && !prev.children) prev.children = new Map();
  const siblings = prev?.children ?? rootLinks;
  let link = siblings.get(path.key);
  if (!link) {
    link = { prev, key: path.key, typename: path.typename };
    siblings.set(path.key, link);
  }
  return link;
}

/**
 * plugin-prisma tells which rows a nested selection was loaded for by the identity of
 * `info.path` links: a parent field records its plan against its own link, and the fields below
 * find it by walking up theirs. graphql-js shares one link object per response path, so that
 * works; graphql-jit writes a new chain of literals at every resolver call, so a nested relation
 * or connection would miss its parent's plan and load its rows again (one more statement per
 * nested relation). For compiled operations, this plugin (listed before plugin-prisma) swaps the
 * path of every field plugin-prisma reads it in for the request's one link with the same keys.
 * Operations graphql-js executes are left alone.
 */
export class StablePathsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(resolver: Resolver, fieldConfig: PothosOutputFieldConfig<Types>): Resolver {
    const root =
      fieldConfig.kind === 'Query' ||
      fieldConfig.kind === 'Mutation' ||
      fieldConfig.kind === 'Subscription';
    const extensions = fieldConfig.extensions;
    if (!root && !extensions?.pothosPrismaSelect && !extensions?.[PLANS_BELOW]) return resolver;
    return (parent, args, context, info) => {
      if (compiled.has(context)) {
        (info as { path: Path }).path = intern(roots(context), info.path);
      }
      return resolver(parent, args, context, info);
    };
  }
}

SchemaBuilder.registerPlugin('stablePaths', StablePathsPlugin);

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      stablePaths: StablePathsPlugin<Types>;
    }
  }
}
