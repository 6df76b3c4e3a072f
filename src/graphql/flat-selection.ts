import {
  type FieldNode,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  getNamedType,
  getNullableType,
  isAbstractType,
  isListType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import { selectedColumns } from './loaded-columns.ts';

type Select = Readonly<Record<string, true>>;

/**
 * The columns a field of a Prisma object reads, when that is all it needs (the rules
 * loaded-columns.ts resolves by, so no row is loaded again): a select of columns only, or none
 * (`id`, or a field with a loader of its own); no Prisma object returned, and no list or abstract
 * type for a field with columns. Otherwise null.
 */
function columnsOf(type: GraphQLObjectType, name: string): string[] | null {
  if (name === '__typename') return [];
  const field = type.getFields()[name];
  if (!field) return null;
  const columns = selectedColumns(field.extensions);
  if (!columns || getNamedType(field.type).extensions.pothosPrismaModel) return null;
  const returns = getNullableType(field.type);
  if (columns.length > 0 && (isListType(returns) || isAbstractType(returns))) return null;
  return columns;
}

/**
 * The fields under `selectionSet` named `name` (through inline fragments and fragment spreads:
 * validation has found their fragments). Directives are ignored: a skipped field only adds a
 * column.
 */
function fieldsNamed(
  selectionSet: SelectionSetNode | undefined,
  name: string | null,
  info: GraphQLResolveInfo,
  into: FieldNode[] = [],
): FieldNode[] {
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      if (name === null || selection.name.value === name) into.push(selection);
      continue;
    }
    const nested =
      selection.kind === Kind.INLINE_FRAGMENT
        ? selection.selectionSet
        : info.fragments[selection.name.value]?.selectionSet;
    fieldsNamed(nested, name, info, into);
  }
  return into;
}

function flatSelect(info: GraphQLResolveInfo, typeName: string, base: Select): Select | null {
  const type = info.schema.getType(typeName);
  if (!isObjectType(type)) return null;
  const select: Record<string, true> = { ...base };
  for (const connection of info.fieldNodes) {
    for (const edge of fieldsNamed(connection.selectionSet, 'edges', info)) {
      for (const node of fieldsNamed(edge.selectionSet, 'node', info)) {
        for (const field of fieldsNamed(node.selectionSet, null, info)) {
          const columns = columnsOf(type, field.name.value);
          if (!columns) return null;
          for (const column of columns) select[column] = true;
        }
      }
    }
  }
  return Object.freeze(select);
}

/**
 * A connection's node selection as plugin-prisma's `select`, when its nodes select columns only
 * (the usual listing: names, rank, flags), without planning the whole selection as
 * plugin-prisma's queryFromInfo does on every request: that planning took a third of the
 * execution time of a page of 50 players. Null when anything under the nodes needs
 * plugin-prisma: a relation, or a field whose selection it computes.
 *
 * The answer depends on the document only, so it is kept per field node of a parsed document
 * (the document cache hands back the same nodes for the same text).
 */
export function createFlatSelection(typeName: string, base: Select) {
  const known = new WeakMap<FieldNode, Select | null>();
  return (info: GraphQLResolveInfo): { select: Select } | null => {
    const key = info.fieldNodes.length === 1 ? info.fieldNodes[0] : undefined;
    let select = key ? known.get(key) : undefined;
    if (select === undefined) {
      select = flatSelect(info, typeName, base);
      if (key) known.set(key, select);
    }
    return select && { select };
  };
}
