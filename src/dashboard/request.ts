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

async function bodyOf<T>(res: Response): Promise<Body<T> | null> {
  try {
    const body: unknown = await res.json();
    return typeof body === 'object' && body !== null ? (body as Body<T>) : null;
  } catch {
    return null;
  }
}

/** Posts a query or mutation; resolves to its data, or rejects with a RequestError. */
export async function request<T>(
  endpoint: string,
  query: string,
  variables: Record<string, unknown> = {},
  token: string | null = null,
): Promise<T> {
  const headers = headersFor(token);
  let res: Response;
  try {
    res = await fetch(endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new RequestError(`The server cannot be reached (${String(error)})`, null);
  }
  // A proxy's error page, or a server that is not riftwatch's GraphQL: say what came back.
  const body = await bodyOf<T>(res);
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
