import {
  type DocumentNode,
  GraphQLError,
  getOperationAST,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { GraphQLContext } from './context.ts';
import { isRefusal } from './mask-error.ts';
import { RequestShapeError } from './request-errors.ts';
import type { MutationThrottle } from './throttle.ts';

/** Mutation fields at the root of an operation, inline fragments and fragment spreads included. */
function countRootFields(
  selectionSet: SelectionSetNode,
  fragments: Map<string, SelectionSetNode>,
  seen = new Set<string>(),
): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (!selection.name.value.startsWith('__')) count += 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countRootFields(selection.selectionSet, fragments, seen);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) count += countRootFields(fragment, fragments, seen);
    }
  }
  return count;
}

/**
 * Spends the caller's mutation budget before any mutation runs: one token per mutation field,
 * refused callers included (a guessed token spends the address's budget). Over HTTP and WebSocket
 * alike, since both execute through this envelop.
 */
export function useMutationThrottle(
  throttle: MutationThrottle,
  maskError: (error: unknown, message: string) => Error,
): Plugin<GraphQLContext> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const document = args.document as DocumentNode;
      const operation = getOperationAST(document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      const fragments = new Map(
        document.definitions.flatMap((d) =>
          d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [],
        ),
      );
      const ctx = args.contextValue as GraphQLContext;
      try {
        throttle.take(ctx.caller.key, countRootFields(operation.selectionSet, fragments));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        // A result, not a throw: over graphql-ws a throw here would close the socket.
        setResultAndStopExecution({ errors: [maskError(error, '') as GraphQLError] });
      }
    },
  };
}

const isExpected = (error: GraphQLError) => !error.path || isRefusal(error.originalError);

/**
 * Logs unexpected errors with the request id, before Yoga masks them: those of resolvers, and
 * those a subscription's event stream fails with.
 */
export function useUnexpectedErrorLog(logger: Logger): Plugin<GraphQLContext> {
  const log = (error: GraphQLError, ctx: GraphQLContext) => {
    (error.extensions as Record<string, unknown>).requestId = ctx.requestId;
    logger.error(
      {
        err: error.originalError ?? error,
        path: error.path?.join('.'),
        request_id: ctx.requestId,
      },
      'Unexpected GraphQL error',
    );
  };
  const report = (errors: readonly GraphQLError[] | undefined, ctx: GraphQLContext) => {
    for (const error of errors ?? []) if (!isExpected(error)) log(error, ctx);
  };
  /** A stream's error: the request's own (a GraphQL or use-case error), or unexpected. */
  const reportStreamError = (error: unknown, ctx: GraphQLContext): unknown => {
    const cause =
      error instanceof GraphQLError
        ? error.originalError
        : error instanceof Error
          ? error
          : new Error(String(error));
    if (!cause || cause instanceof GraphQLError || isRefusal(cause)) return error;
    const located =
      error instanceof GraphQLError
        ? error
        : new GraphQLError(cause.message, { originalError: cause });
    log(located, ctx);
    return located;
  };
  const hooks = ({ args }: { args: { contextValue: unknown } }) => ({
    onExecuteDone: (payload: Parameters<typeof handleStreamOrSingleExecutionResult>[0]) =>
      handleStreamOrSingleExecutionResult(payload, ({ result }) =>
        report(result.errors, args.contextValue as GraphQLContext),
      ),
  });
  return {
    onExecute: hooks,
    onSubscribe: ({ args }) => ({
      onSubscribeResult: (payload) =>
        handleStreamOrSingleExecutionResult(payload, ({ result }) =>
          report(result.errors, args.contextValue as GraphQLContext),
        ),
      onSubscribeError: ({ error, setError }) =>
        setError(reportStreamError(error, args.contextValue as GraphQLContext)),
    }),
  };
}

/**
 * Refuses request bodies over `maxBytes` before Yoga reads them; a POST must declare its length
 * (a chunked body could otherwise grow without bound).
 */
export function useBodyLimit(maxBytes: number): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (request.method !== 'POST') return;
      // Digits only: `+1`, ` 1` or `1, 1` (request smuggling) are not a length.
      const declared = request.headers.get('content-length');
      const length = declared !== null && /^\d+$/.test(declared) ? Number(declared) : Number.NaN;
      if (Number.isFinite(length) && length <= maxBytes) return;
      const error = new RequestShapeError(
        Number.isFinite(length)
          ? `The request body is ${length} bytes: at most ${maxBytes} are accepted`
          : 'A request body must declare its Content-Length',
      );
      endResponse(
        new fetchAPI.Response(
          JSON.stringify({
            errors: [{ message: error.message, extensions: { code: error.code } }],
          }),
          {
            status: Number.isFinite(length) ? 413 : 411,
            headers: { 'content-type': 'application/json; charset=utf-8' },
          },
        ),
      );
    },
  };
}

/**
 * A query string's or form's `variables` or `extensions` that are not JSON: the caller's mistake
 * (400 INVALID_INPUT), as a malformed JSON body is. Yoga parses them without catching.
 */
export function useMalformedParams(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        try {
          return await requestParser(request);
        } catch (error) {
          if (!(error instanceof SyntaxError)) throw error;
          throw new GraphQLError(`A parameter is not valid JSON: ${error.message}`, {
            extensions: { http: { status: 400 }, code: 'INVALID_INPUT' },
          });
        }
      });
    },
  };
}

/** Parse and validation errors (limits included) get the stable INVALID_INPUT code too. */
export function useStableErrorCodes(maskError: (error: unknown, message: string) => Error): Plugin {
  return {
    onParse:
      () =>
      ({ result, replaceParseResult }) => {
        if (result instanceof Error) replaceParseResult(maskError(result, '') as never);
      },
    onValidate:
      () =>
      ({ result, setResult }) => {
        if (result.length > 0) setResult(result.map((e) => maskError(e, '') as GraphQLError));
      },
  };
}
