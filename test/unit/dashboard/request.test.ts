import { afterEach, describe, expect, it, vi } from 'vitest';
import { type RequestError, request, UNSENDABLE_TOKEN } from '../../../src/dashboard/request.ts';

const answer = (body: string, init: ResponseInit = {}) =>
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(body, init)),
  );

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('resolved');
    },
    (error: RequestError) => error,
  );

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('a GraphQL request', () => {
  it('resolves to the data', async () => {
    answer(JSON.stringify({ data: { jobs: [] } }));
    await expect(request('/graphql', '{ jobs { id } }')).resolves.toEqual({ jobs: [] });
  });

  it("a proxy's HTML error page is its HTTP status, not an unreachable server", async () => {
    answer('<html><body>Bad gateway</body></html>', { status: 502, statusText: 'Bad Gateway' });
    const error = await failure(request('/graphql', '{ jobs { id } }'));
    expect(error.message).toBe('The server answered HTTP 502 Bad Gateway');
    expect(error.code).toBeNull();
  });

  it('GraphQL errors keep their code and retryAfter, whatever the status', async () => {
    answer(
      JSON.stringify({
        errors: [
          {
            message: 'Too many mutations: retry in 27 s',
            extensions: { code: 'RATE_LIMITED', retryAfter: 27 },
          },
        ],
      }),
      { status: 429 },
    );
    const error = await failure(request('/graphql', 'mutation { x }'));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 27 });
  });

  it('no answer at all is an unreachable server', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    const error = await failure(request('/graphql', '{ jobs { id } }'));
    expect(error.message).toBe('The server cannot be reached (TypeError: Failed to fetch)');
    expect(error.code).toBeNull();
  });

  it('a token a header cannot carry is said to be one, and nothing is sent', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    const error = await failure(request('/graphql', 'mutation { x }', {}, 'tökén€'));
    expect(error.code).toBe(UNSENDABLE_TOKEN);
    expect(error.message).not.toContain('cannot be reached');
    expect(fetch).not.toHaveBeenCalled();
  });
});
