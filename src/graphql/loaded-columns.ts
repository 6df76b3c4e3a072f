import SchemaBuilder, {
  BasePlugin,
  type PothosOutputFieldConfig,
  type SchemaTypes,
} from '@pothos/core';
import { defaultFieldResolver, type GraphQLFieldResolver } from 'graphql';

type Resolver = GraphQLFieldResolver<unknown, object, object>;

/**
 * On a select-mode Prisma type, plugin-prisma wraps every field, scalars included: per row it
 * looks the field's mapping up by its response path (a string built per row, WeakMaps keyed by
 * path links) before reading a column of the row it already holds. Under graphql-jit, which
 * shares no path links, that was half the execution time of a page of 50 players (a tenth under
 * graphql-js). For a field that only reads flat columns of its parent row and
 * returns no Prisma object, the lookup can only confirm that the row carries those columns, so
 * this plugin (listed just before plugin-prisma, hence wrapping it) resolves such a field from the
 * row when every column is on it, and leaves the rest to plugin-prisma: a row without them is
 * still loaded by its fallback, and relations keep their bookkeeping.
 */
export class LoadedColumnsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(resolver: Resolver, fieldConfig: PothosOutputFieldConfig<Types>): Resolver {
    const columns = this.flatColumns(fieldConfig);
    if (!columns) return resolver;
    // What plugin-prisma itself calls once the row is known to be loaded. Inside this wrapper
    // only stable-paths (paths matter to plugin-prisma alone) and plugin-prisma wrap such a
    // field: relay wraps none, complexity root fields only.
    const direct = (fieldConfig.resolve as Resolver | undefined) ?? defaultFieldResolver;
    if (columns.length === 1) {
      const [column] = columns as [string];
      return (parent, args, ctx, info) =>
        (parent as Record<string, unknown>)[column] === undefined
          ? resolver(parent, args, ctx, info)
          : direct(parent, args, ctx, info);
    }
    return (parent, args, ctx, info) => {
      const row = parent as Record<string, unknown>;
      for (const column of columns) {
        if (row[column] === undefined) return resolver(parent, args, ctx, info);
      }
      return direct(parent, args, ctx, info);
    };
  }

  /** The columns a field selects, when it selects only columns and returns no Prisma object. */
  private flatColumns(fieldConfig: PothosOutputFieldConfig<Types>): string[] | null {
    const columns = selectedColumns(fieldConfig.extensions);
    if (fieldConfig.kind !== 'PrismaObject' || !columns || columns.length === 0) return null;
    const type = fieldConfig.type;
    if (type.kind === 'List' || type.kind === 'Interface' || type.kind === 'Union') return null;
    if (type.kind === 'Object') {
      const config = this.buildCache.getTypeConfig(type.ref);
      if (config.extensions?.pothosPrismaModel) return null;
    }
    return columns;
  }
}

/**
 * The columns plugin-prisma's `select` for a field names, read from the field's extensions, when
 * the field needs nothing more of plugin-prisma: no relation, no loaded check or fallback, and a
 * select of plain columns. `[]` when it has no select; null otherwise.
 */
export function selectedColumns(
  extensions: Readonly<Record<string, unknown>> | null | undefined,
): string[] | null {
  if (
    extensions?.pothosPrismaRelationField ||
    extensions?.pothosPrismaLoaded ||
    extensions?.pothosPrismaFallback
  ) {
    return null;
  }
  const select = extensions?.pothosPrismaSelect;
  if (select === undefined) return [];
  if (typeof select !== 'object' || select === null) return null;
  const entries = Object.entries(select);
  if (entries.length === 0 || entries.some(([, value]) => value !== true)) return null;
  return entries.map(([column]) => column);
}

SchemaBuilder.registerPlugin('loadedColumns', LoadedColumnsPlugin);

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      loadedColumns: LoadedColumnsPlugin<Types>;
    }
  }
}
