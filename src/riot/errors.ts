/** One class per outcome of a Riot API call, each with one meaning (BullMQ-style). */

export type RateLimitType = 'application' | 'method' | 'service' | (string & {});

export type RiotErrorContext = { routing?: string; method?: string };

export class RiotApiError extends Error {
  override readonly name: string = 'RiotApiError';
  readonly status: number | null;
  readonly routing: string | undefined;
  readonly method: string | undefined;

  constructor(
    message: string,
    status: number | null,
    context: RiotErrorContext = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.status = status;
    this.routing = context.routing;
    this.method = context.method;
  }
}

/** 404: the account, summoner or match does not exist (or no longer exists). */
export class RiotNotFoundError extends RiotApiError {
  override readonly name = 'RiotNotFoundError';
  constructor(message = 'Data not found', context?: RiotErrorContext) {
    super(message, 404, context);
  }
}

/** 401: the request carried no key, or a key Riot does not recognise. */
export class RiotUnauthorizedError extends RiotApiError {
  override readonly name = 'RiotUnauthorizedError';
  constructor(message = 'Unauthorized', context?: RiotErrorContext) {
    super(message, 401, context);
  }
}

/** 403: the key is expired or invalid (dev keys expire every 24 h), or the path is not allowed. */
export class RiotForbiddenError extends RiotApiError {
  override readonly name = 'RiotForbiddenError';
  constructor(message = 'Forbidden', context?: RiotErrorContext) {
    super(message, 403, context);
  }
}

/** 400 (and other 4xx): the request is wrong; `Exception decrypting` = a PUUID from another key. */
export class RiotBadRequestError extends RiotApiError {
  override readonly name = 'RiotBadRequestError';
  readonly decryptionFailed: boolean;
  constructor(message = 'Bad request', context?: RiotErrorContext, status = 400) {
    super(message, status, context);
    this.decryptionFailed = /exception decrypting/i.test(message);
  }
}

/**
 * 3xx: the base URL points at something that redirects (http→https, a proxy), never at Riot. Not
 * followed (the key would go along); a setup fault, so it ends the run like a rejected key.
 */
export class RiotRedirectError extends RiotApiError {
  override readonly name = 'RiotRedirectError';
  readonly location: string | null;
  constructor(status: number, location: string | null, context?: RiotErrorContext) {
    const target = location ?? 'no Location given';
    super(
      `Riot API base URL answered a redirect (HTTP ${status}) to ${target}, not followed: ` +
        'fix RIOT_API_BASE_URL',
      status,
      context,
    );
    this.location = location;
  }
}

/** 429 after the retry budget: wait `retryAfterMs`; `limitType` says whose limit it was. */
export class RiotRateLimitedError extends RiotApiError {
  override readonly name = 'RiotRateLimitedError';
  readonly retryAfterMs: number;
  readonly limitType: RateLimitType;
  constructor(retryAfterMs: number, limitType: RateLimitType, context?: RiotErrorContext) {
    // Lower-case "rate limit": the runbook finds these runs with error_message LIKE '%rate limit%'.
    super(
      `Riot API rate limit exceeded (${limitType}), retry after ${Math.round(retryAfterMs)} ms`,
      429,
      context,
    );
    this.retryAfterMs = retryAfterMs;
    this.limitType = limitType;
  }
}

/** 5xx after the retry budget. */
export class RiotServerError extends RiotApiError {
  override readonly name = 'RiotServerError';
  declare readonly status: number;
  constructor(status: number, message = `Riot server error ${status}`, context?: RiotErrorContext) {
    super(message, status, context);
  }
}

/** No HTTP answer: connection refused or reset, DNS failure, or the request timed out. */
export class RiotNetworkError extends RiotApiError {
  override readonly name = 'RiotNetworkError';
  readonly timedOut: boolean;
  constructor(message: string, timedOut: boolean, context?: RiotErrorContext, cause?: unknown) {
    super(message, null, context, { cause });
    this.timedOut = timedOut;
  }
}

/** A 2xx whose body is not JSON or does not match the expected shape. */
export class RiotResponseError extends RiotApiError {
  override readonly name = 'RiotResponseError';
  constructor(message: string, status: number, context?: RiotErrorContext, cause?: unknown) {
    super(message, status, context, { cause });
  }
}

/** Whatever was thrown, an Error (graphile-worker's `coerceError`). */
export function coerceError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (typeof value === 'object' && value !== null && 'message' in value) {
    const message = (value as { message: unknown }).message;
    if (typeof message === 'string') {
      const error = new Error(message);
      if ('code' in value) Object.assign(error, { code: (value as { code: unknown }).code });
      return error;
    }
  }
  return new Error(typeof value === 'string' ? value : `Non-error thrown: ${String(value)}`);
}
