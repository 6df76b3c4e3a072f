import { PothosValidationError } from '@pothos/core';
import { InputValidationError } from '@pothos/plugin-validation';
import { GraphQLError } from 'graphql';
import { AppError, ERROR_CODE } from '../errors.ts';
import type { Logger } from '../logger.ts';

const MASKED = 'Unexpected error.';

function codedError(error: GraphQLError, message: string, extensions: Record<string, unknown>) {
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...error.extensions, ...extensions },
  });
}

/**
 * An error without a path that is not the request's fault: something threw that is not a GraphQL
 * error (a subscription's event stream failing on the database, say). Parse, validation, limit
 * and variable errors are GraphQL errors themselves or wrap one; Yoga's refusals of a malformed
 * request say their HTTP status.
 */
function failedUnexpectedly(error: GraphQLError): boolean {
  const original = error.originalError;
  return (
    original !== undefined &&
    !(original instanceof GraphQLError) &&
    error.extensions.http === undefined
  );
}

const isInputError = (error: Error | null | undefined) =>
  error instanceof InputValidationError || error instanceof PothosValidationError;

/** A cause that is the request's fault: a use-case's refusal, or invalid input. */
export const isRefusal = (cause: Error | null | undefined) =>
  cause instanceof AppError || isInputError(cause);

const isStableCode = (code: unknown): code is string =>
  typeof code === 'string' && (Object.values(ERROR_CODE) as string[]).includes(code);

/**
 * The stable code an error is answered with (see createMaskError): INTERNAL_SERVER_ERROR for one
 * that is masked. Without side effects, for observers that see errors before masking (metrics).
 */
export function stableCode(error: GraphQLError): string {
  const original = error.originalError ?? null;
  if (original instanceof AppError) return original.code;
  if (isInputError(original)) return ERROR_CODE.invalidInput;
  if (!error.path && !failedUnexpectedly(error)) {
    return isStableCode(error.extensions.code) ? error.extensions.code : ERROR_CODE.invalidInput;
  }
  return 'INTERNAL_SERVER_ERROR';
}

/**
 * Yoga's error masking: AppErrors keep their message and stable `code` (plus `retryAfter` when
 * rate limited, `reason` when unauthenticated); input validation is INVALID_INPUT; errors that
 * happened before execution (parse, validation, variable coercion, limits: they carry no path) are
 * the request's fault and are INVALID_INPUT too, unless they `failedUnexpectedly`. Anything else
 * is masked, with the request id its log line carries.
 */
export function createMaskError(logger: Logger) {
  return (error: unknown, _message: string): Error => {
    const graphqlError =
      error instanceof GraphQLError
        ? error
        : new GraphQLError(MASKED, { originalError: error as Error });
    const original = graphqlError.originalError ?? null;
    const code = stableCode(graphqlError);
    if (original instanceof AppError) {
      const { retryAfter, reason } = original as { retryAfter?: unknown; reason?: unknown };
      return codedError(graphqlError, original.message, {
        code,
        ...(typeof retryAfter === 'number' && { retryAfter }),
        ...(typeof reason === 'string' && { reason }),
      });
    }
    if (isInputError(original)) return codedError(graphqlError, original.message, { code });
    if (code !== 'INTERNAL_SERVER_ERROR') {
      const own = graphqlError.extensions.code;
      if (own === code) return graphqlError;
      return codedError(graphqlError, graphqlError.message, {
        code,
        ...(typeof own === 'string' && { reason: own }),
      });
    }
    // Errors of an execution were logged with their request id (useUnexpectedErrorLog), which
    // the client gets to quote; others (outside any execution) are logged here.
    const requestId = graphqlError.extensions.requestId;
    if (typeof requestId !== 'string') {
      logger.error({ err: original ?? graphqlError }, 'Unexpected GraphQL error');
    }
    return new GraphQLError(MASKED, {
      nodes: graphqlError.nodes,
      path: graphqlError.path,
      extensions: {
        code: 'INTERNAL_SERVER_ERROR',
        ...(typeof requestId === 'string' && { requestId }),
      },
    });
  };
}
