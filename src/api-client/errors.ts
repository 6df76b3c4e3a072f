/** An issue of an InputValidationError: where in the input, and what is wrong. */
export type Issue = { path: string[]; message: string };

/**
 * A GraphQL failure as the REST paths and the CLI see it: the stable code of the typed error or
 * of `extensions.code`, plus `retryAfter` (seconds) when rate limited. `UNAVAILABLE`: riftwatch
 * could not be reached; `INTERNAL_SERVER_ERROR`: anything unexpected (masked by the server).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly details: {
      retryAfter?: number;
      issues?: Issue[];
      requestId?: string;
      /** The HTTP status, where the code's own would not say it (413). */
      status?: number;
      /**
       * The execution a command had queued before it failed (`jobs trigger --wait`): queued all
       * the same, not to be queued again.
       */
      executionId?: number;
    } = {},
  ) {
    super(message);
  }

  /** The `{ error: … }` body of a REST answer, and of the CLI's `--json` output on failure. */
  toJSON() {
    const { status: _status, ...details } = this.details;
    return { error: { code: this.code, message: this.message, ...details } };
  }
}

export type GraphQLResponse = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

/** Throws the first top-level error with its code; returns `data` otherwise. */
export function dataOf(response: GraphQLResponse): Record<string, unknown> {
  const first = response.errors?.[0];
  if (first) {
    const ext = first.extensions ?? {};
    const code = typeof ext.code === 'string' ? ext.code : 'INTERNAL_SERVER_ERROR';
    throw new ApiError(code, first.message, {
      ...(typeof ext.retryAfter === 'number' && { retryAfter: ext.retryAfter }),
      ...(typeof ext.requestId === 'string' && { requestId: ext.requestId }),
    });
  }
  if (!response.data) throw new ApiError('INTERNAL_SERVER_ERROR', 'The server answered no data');
  return response.data;
}

type Typed = { __typename?: string; code?: unknown; message?: unknown } & Record<string, unknown>;

/** A mutation's result: its payload, or its typed error (`... on Error`) thrown as an ApiError. */
export function payloadOf<T>(result: unknown): T {
  const typed = result as Typed;
  if (typed && typeof typed.code === 'string' && typeof typed.message === 'string') {
    throw new ApiError(typed.code, typed.message, {
      ...(Array.isArray(typed.issues) && { issues: typed.issues as Issue[] }),
    });
  }
  const { __typename: _t, ...payload } = typed;
  return payload as T;
}
