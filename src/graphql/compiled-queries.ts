import {
  type ASTNode,
  createSourceEventStream,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  GraphQLError,
  type GraphQLNamedType,
  type GraphQLSchema,
  getLocation,
  getNamedType,
  getOperationAST,
  getVariableValues,
  isAbstractType,
  isScalarType,
  isSpecifiedScalarType,
  type OperationDefinitionNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import { isAsyncIterable, mapAsyncIterator, type Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.ts';
import { markCompiled } from './stable-paths.ts';

/** Executions of a document before it is compiled (see below). */
export const COMPILE_AFTER = 2;

type Compiled = {
  query: CompiledQuery;
  operation: OperationDefinitionNode;
  nodes: Map<string, ASTNode>;
  /** graphql-jit's serializer for this operation's results, when it can write them. */
  stringify: ((result: ExecutionResult) => string) | null;
};
/** A document's count of executions so far, its compiled query, or null: not compilable. */
type Entry = number | Compiled | null;

/** The document's nodes by `line:column` of their start, the outermost where several start. */
function nodesByLocation(document: DocumentNode): Map<string, ASTNode> {
  const nodes = new Map<string, ASTNode>();
  const source = document.loc?.source;
  if (!source) return nodes;
  visit(document, {
    enter(node) {
      if (!node.loc) return;
      const { line, column } = getLocation(source, node.loc.start);
      const key = `${line}:${column}`;
      if (!nodes.has(key)) nodes.set(key, node);
    },
  });
  return nodes;
}

/** Whether `test` holds for the named type of every field that `node` selects. */
function everyFieldType(
  schema: GraphQLSchema,
  node: ASTNode,
  test: (type: GraphQLNamedType | undefined) => boolean,
): boolean {
  const typeInfo = new TypeInfo(schema);
  let holds = true;
  visit(
    node,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const type = typeInfo.getType();
        if (!test(type ? getNamedType(type) : undefined)) holds = false;
      },
    }),
  );
  return holds;
}

/**
 * Whether graphql-jit can write this operation's results with a serializer made for its shape:
 * only when every field returns an object type or a built-in scalar. It has no schema for custom
 * scalars (DateTime, JSON), and for an interface or union it merges the fields of every possible
 * type, so two types with a same-named field of different types would be written wrongly.
 */
function hasFixedShape(schema: GraphQLSchema, document: DocumentNode): boolean {
  return everyFieldType(
    schema,
    document,
    (named) =>
      named !== undefined &&
      !isAbstractType(named) &&
      !(isScalarType(named) && !isSpecifiedScalarType(named)),
  );
}

/**
 * Queries, and subscriptions whose events select no Prisma object: plugin-prisma finds a
 * relation's rows by path links that stable-paths.ts interns per context, which a subscription's
 * events would share. Mutations keep Yoga's executor.
 */
function compilable(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): boolean {
  if (operation.operation === 'query') return true;
  if (operation.operation !== 'subscription') return false;
  // The whole document: a fragment's fields are not under the operation's node.
  return everyFieldType(schema, document, (named) => {
    if (!named) return true;
    const types = isAbstractType(named) ? schema.getPossibleTypes(named) : [named];
    return !types.some((t) => t.extensions?.pothosPrismaModel);
  });
}

/**
 * graphql-jit's errors carry `locations` but no AST nodes, and no `extensions` object: given
 * back as graphql-js errors on the same nodes, masking, codes and logging treat them as before.
 */
function asGraphQLError(error: GraphQLError, nodes: Map<string, ASTNode>): GraphQLError {
  const located = (error.locations ?? []).flatMap(
    ({ line, column }) => nodes.get(`${line}:${column}`) ?? [],
  );
  return new GraphQLError(error.message, {
    nodes: located.length > 0 ? located : undefined,
    path: error.path,
    originalError: error.originalError,
  });
}

/**
 * An error the event stream itself throws, located at the operation: as Yoga's executor gives
 * it, so masking and graphql-ws treat it the same.
 */
function streamError(error: unknown, operation: OperationDefinitionNode): Error {
  const wrap = (e: unknown) =>
    new GraphQLError(e instanceof Error ? e.message : String(e), {
      originalError: e instanceof Error ? e : undefined,
      nodes: [operation],
    });
  if (error instanceof AggregateError) {
    return new AggregateError(error.errors.map(wrap), error.message);
  }
  return wrap(error);
}

/** Errors first, as graphql-js writes them. */
function withGraphQLErrors(result: ExecutionResult, nodes: Map<string, ASTNode>): ExecutionResult {
  const { errors = [], ...rest } = result;
  return { errors: errors.map((e) => asGraphQLError(e, nodes)), ...rest };
}

/**
 * Queries run through graphql-jit: the operation is compiled once into a function that walks the
 * selection without graphql-js' per-field bookkeeping (about half of the execution time of a page
 * of 50 players). So do the events of a subscription (see `compilable`): each event is executed
 * once per subscriber, a thousand times over when a job's progress reaches a busy dashboard.
 * Mutations keep Yoga's executor, and so do a document that graphql-jit cannot compile and a
 * request whose variables are refused (the executor words that error and its status).
 *
 * A document is compiled on its `COMPILE_AFTER`th execution, not its first: a client sending ever
 * new documents gets them interpreted rather than makes the server compile each one. The entries
 * are keyed by DocumentNode, which stays the same for the same text only because useDocumentCache
 * (document-cache.ts) hands it back: Yoga's own cache is off, and without that plugin no query
 * would ever be compiled. Keyed weakly: they go when that cache drops the document; a document it
 * does not keep (longer or larger than a client's, see DocumentCacheLimits) stays interpreted.
 */
export function useCompiledQueries(logger: Logger): Plugin {
  // By document, then by operation name (a document may hold several operations).
  const documents = new WeakMap<DocumentNode, Map<string, Entry>>();

  function compiled(args: ExecutionArgs): Compiled | null {
    let entries = documents.get(args.document);
    if (!entries) {
      entries = new Map();
      documents.set(args.document, entries);
    }
    const name = args.operationName ?? '';
    const entry = entries.get(name) ?? 0;
    if (typeof entry !== 'number') return entry;
    // Unknown or ambiguous operation names are left to the executor and its errors.
    const operation = getOperationAST(args.document, args.operationName);
    if (!operation || !compilable(args.schema, args.document, operation)) {
      entries.set(name, null);
      return null;
    }
    if (entry + 1 < COMPILE_AFTER) {
      entries.set(name, entry + 1);
      return null;
    }
    // Subscription events are written by graphql-ws, with JSON.stringify.
    const customJSONSerializer =
      operation.operation === 'query' && hasFixedShape(args.schema, args.document);
    const result = compileQuery(args.schema, args.document, args.operationName ?? undefined, {
      customJSONSerializer,
    });
    if (!isCompiledQuery(result)) {
      logger.warn({ errors: result.errors }, 'GraphQL query left to the interpreter');
      entries.set(name, null);
      return null;
    }
    const done = {
      query: result,
      operation,
      nodes: nodesByLocation(args.document),
      stringify: customJSONSerializer ? result.stringify : null,
    };
    entries.set(name, done);
    return done;
  }

  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const query = compiled(args);
      if (query?.operation.operation !== 'subscription') return;
      setSubscribeFn(async (a) => {
        // graphql-jit's own `subscribe` hands the subscribe resolver the operation's variables as
        // its arguments: graphql-js makes the event stream, graphql-jit executes each event.
        const variables = a.variableValues ?? {};
        const definitions = query.operation.variableDefinitions ?? [];
        // Refused variables: the executor words that error (and its status).
        if (getVariableValues(a.schema, definitions, variables).errors) return subscribeFn(a);
        // graphql-js rethrows what is not a GraphQLError (a resolver giving no stream): the
        // executor words that one.
        const stream = await createSourceEventStream(a).catch(() => null);
        if (!stream) return subscribeFn(a);
        if (!isAsyncIterable(stream)) return stream;
        const located = (result: ExecutionResult) =>
          result.errors ? withGraphQLErrors(result, query.nodes) : result;
        return mapAsyncIterator(
          stream,
          (event) => {
            const result = query.query.query(event, a.contextValue, variables);
            return result instanceof Promise ? result.then(located) : located(result);
          },
          (error: unknown) => {
            throw streamError(error, query.operation);
          },
        );
      });
    },
    onExecute({ args, executeFn, setExecuteFn }) {
      const query = compiled(args);
      if (query?.operation.operation !== 'query') return;
      markCompiled(args.contextValue as object);
      setExecuteFn(async (a) => {
        const result = (await query.query.query(
          a.rootValue,
          a.contextValue,
          a.variableValues ?? {},
        )) as ExecutionResult;
        // No `data` at all: the variables were refused before anything ran.
        if (!('data' in result)) return executeFn(a);
        // Yoga writes a result with its `stringify` when it has one. Errors and extensions are
        // outside the serializer's shape: those results keep JSON.stringify.
        if (!result.errors) {
          if (query.stringify && !result.extensions) {
            (result as { stringify?: unknown }).stringify = query.stringify;
          }
          return result;
        }
        return withGraphQLErrors(result, query.nodes);
      });
    },
  };
}
