import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  REQUEST_TIMEOUT_MS,
  type RequestError,
  request,
  UNSENDABLE_TOKEN,
} from '../../../src/dashboard/request.ts';

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
  vi.useRealTimers();
});

/** A fetch that answers nothing until its signal aborts it, as a browser's does. */
const hanging = (answer: (signal: AbortSignal) => Promise<Response>) =>
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: string, init: RequestInit) => answer(init.signal as AbortSignal)),
  );
const aborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));

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

  it('no answer within 20 s is given up, as a server that cannot be reached', async () => {
    vi.useFakeTimers();
    hanging(aborted);
    const pending = failure(request('/graphql', '{ jobs { id } }'));
    await vi.advanceTimersByTimeAsync(REQUEST_TIMEOUT_MS - 1);
    let settled = false;
    void pending.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await pending;
    expect(error.message).toBe('The server did not answer within 20 s');
    expect(error.code).toBeNull();
    expect(REQUEST_TIMEOUT_MS).toBe(20_000);
  });

  it('nor an answer whose body stops coming', async () => {
    vi.useFakeTimers();
    hanging(async (signal) => {
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"data":'));
          signal.addEventListener('abort', () => controller.error(signal.reason));
        },
      });
      return new Response(body, { headers: { 'content-type': 'application/json' } });
    });
    const pending = failure(request('/graphql', '{ jobs { id } }', {}, null, 5000));
    await vi.advanceTimersByTimeAsync(5000);
    expect((await pending).message).toBe('The server did not answer within 5 s');
  });

  it('an answer in time leaves no timer behind', async () => {
    vi.useFakeTimers();
    answer(JSON.stringify({ data: { jobs: [] } }));
    await request('/graphql', '{ jobs { id } }');
    expect(vi.getTimerCount()).toBe(0);
  });
});
