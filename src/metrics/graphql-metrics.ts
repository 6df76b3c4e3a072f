import {
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  locatedError,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { handleStreamOrSingleExecutionResult, isAsyncIterable, type Plugin } from 'graphql-yoga';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { stableCode } from '../graphql/mask-error.ts';

function operationOf(document: DocumentNode, operationName?: string | null) {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return operations.find((o) => o.name?.value === operationName) ?? operations[0];
}

/**
 * Root field names (aliases resolved, inline fragments and fragment spreads included): bounded by
 * the schema. A fragment is walked once, so a cycle (which validation refuses) cannot loop.
 */
export function rootFields(document: DocumentNode, operation: OperationDefinitionNode | undefined) {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const names = new Set<string>();
  const walked = new Set<string>();
  const walk = ({ selections }: SelectionSetNode) => {
    for (const s of selections) {
      if (s.kind === Kind.FIELD) names.add(s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet);
      else if (!walked.has(s.name.value)) {
        walked.add(s.name.value);
        const fragment = fragments.get(s.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  if (operation) walk(operation.selectionSet);
  return [...names];
}

/**
 * GraphQL operations over HTTP, SSE and graphql-ws (REST and the CLI included, as they run
 * GraphQL): operations and root fields by type, top-level errors by code, durations, and the
 * subscriptions open now. An envelop plugin, so every transport is counted in one place.
 */
export function createGraphQLMetrics(registry: Registry) {
  const registers = [registry];
  const operations = new Counter({
    name: 'riftwatch_graphql_operations_total',
    help: 'GraphQL operations executed, by type (query, mutation, subscription)',
    labelNames: ['type'] as const,
    registers,
  });
  const fields = new Counter({
    name: 'riftwatch_graphql_root_fields_total',
    help: 'Root fields executed, by operation type and field',
    labelNames: ['type', 'field'] as const,
    registers,
  });
  const errors = new Counter({
    name: 'riftwatch_graphql_errors_total',
    help: 'Top-level GraphQL errors by operation type and code (INVALID_INPUT for refused documents)',
    labelNames: ['type', 'code'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'riftwatch_graphql_duration_seconds',
    help: 'Execution time of queries and mutations',
    labelNames: ['type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const subscriptions = new Gauge({
    name: 'riftwatch_graphql_subscriptions_active',
    help: 'Subscriptions open now (graphql-ws and SSE)',
    registers,
  });

  const countErrors = (type: string, result: ExecutionResult) => {
    for (const error of result.errors ?? []) errors.inc({ type, code: stableCode(error) });
  };
  // What ends a stream (a refused id, a subscriber cut off, a failure): coded as the client is
  // answered.
  const countStreamError = (type: string, error: unknown) => {
    const graphqlError = error instanceof GraphQLError ? error : locatedError(error, undefined);
    errors.inc({ type, code: stableCode(graphqlError) });
  };
  const start = (document: DocumentNode, operationName?: string | null) => {
    const operation = operationOf(document, operationName);
    const type = operation?.operation ?? 'unknown';
    operations.inc({ type });
    for (const field of rootFields(document, operation)) fields.inc({ type, field });
    return type;
  };

  const plugin: Plugin = {
    onParse:
      () =>
      ({ result }) => {
        if (result instanceof Error) errors.inc({ type: 'unknown', code: 'INVALID_INPUT' });
      },
    onValidate:
      ({ params }) =>
      ({ result }) => {
        if (result.length === 0) return;
        const type = operationOf(params.documentAST)?.operation ?? 'unknown';
        errors.inc({ type, code: 'INVALID_INPUT' }, result.length);
      },
    onExecute({ args }) {
      const type = start(args.document, args.operationName);
      const end = duration.startTimer({ type });
      return {
        onExecuteDone(payload) {
          end();
          return handleStreamOrSingleExecutionResult(payload, ({ result }) =>
            countErrors(type, result),
          );
        },
      };
    },
    onSubscribe({ args }) {
      const type = start(args.document, args.operationName);
      // A stream ends by finishing, by being closed, or by failing: graphql-ws does not close
      // one that failed, so its end is counted from the error too, once.
      let open = false;
      const ended = () => {
        if (open) subscriptions.dec();
        open = false;
      };
      return {
        onSubscribeResult({ result }) {
          if (!isAsyncIterable(result)) {
            countErrors(type, result);
            return;
          }
          open = true;
          subscriptions.inc();
          return {
            onNext: ({ result: next }) => countErrors(type, next),
            onEnd: ended,
          };
        },
        onSubscribeError({ error }) {
          countStreamError(type, error);
          ended();
        },
      };
    },
  };

  return { plugin };
}
