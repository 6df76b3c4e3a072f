// One GraphQL request over HTTP, and what its failures say.

/**
 * A top-level GraphQL error, or a failed request. `code` is the error's `extensions.code`; null
 * when the request itself failed (no answer, or an answer that is not GraphQL), which a retry may
 * mend. `retryAfter` (seconds) comes with RATE_LIMITED.
 */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
    readonly retryAfter: number | null = null,
    /** UNAUTHENTICATED's `reason` (NO_TOKEN_CONFIGURED, TOKEN_REQUIRED, TOKEN_INVALID). */
    readonly reason: string | null = null,
  ) {
    super(message);
  }
}

/** The code of a token that cannot travel in an Authorization header (set by the browser). */
export const UNSENDABLE_TOKEN = 'UNSENDABLE_TOKEN';

/**
 * How long a request may go unanswered. Without a limit a connection that hangs (a server stuck,
 * a proxy holding it) would stop the periodic reads and leave a button busy for good; past it
 * the request fails as an unreachable server does, so the banner and the retries take over.
 */
export const REQUEST_TIMEOUT_MS = 20_000;

type Body<T> = {
  data?: T | null;
  errors?: Array<{
    message: string;
    extensions?: { code?: string; retryAfter?: number; reason?: string };
  }>;
};

function headersFor(token: string | null): Headers {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (!token) return headers;
  try {
    headers.set('authorization', `Bearer ${token}`);
  } catch {
    throw new RequestError(
      'This admin token cannot be sent: it holds a character a browser cannot put in a header',
      UNSENDABLE_TOKEN,
    );
  }
  return headers;
}

/** The answer's JSON, or null when it is not JSON; the timeout's abort goes through. */
async function bodyOf<T>(res: Response, signal: AbortSignal): Promise<Body<T> | null> {
  try {
    const body: unknown = await res.json();
    return typeof body === 'object' && body !== null ? (body as Body<T>) : null;
  } catch (error) {
    if (signal.aborted) throw error;
    return null;
  }
}

/**
 * The answer's data, or what came back instead: a GraphQL error, a proxy's error page, or a server
 * that is not riftwatch's GraphQL, said as such.
 */
function dataOf<T>(res: Response, body: Body<T> | null): T {
  const [first] = body?.errors ?? [];
  if (first) {
    const { code = null, retryAfter = null, reason = null } = first.extensions ?? {};
    throw new RequestError(first.message, code, retryAfter, reason);
  }
  if (!res.ok) {
    throw new RequestError(`The server answered HTTP ${res.status} ${res.statusText}`.trim(), null);
  }
  if (!body?.data) throw new RequestError('The server answered no data', null);
  return body.data;
}

/**
 * Posts a query or mutation; resolves to its data, or rejects with a RequestError, also when the
 * whole answer has not come within `timeoutMs`.
 */
export async function request<T>(
  endpoint: string,
  query: string,
  variables: Record<string, unknown> = {},
  token: string | null = null,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<T> {
  const headers = headersFor(token);
  // The page's own timer rather than AbortSignal.timeout, so that a test's fake clock moves it.
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
      signal: abort.signal,
    });
    return dataOf(res, await bodyOf<T>(res, abort.signal));
  } catch (error) {
    if (error instanceof RequestError) throw error;
    if (abort.signal.aborted) {
      throw new RequestError(
        `The server did not answer within ${Math.round(timeoutMs / 1000)} s`,
        null,
      );
    }
    throw new RequestError(`The server cannot be reached (${String(error)})`, null);
  } finally {
    clearTimeout(timer);
  }
}
