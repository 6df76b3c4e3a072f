import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTokenPrompt, triggerJob } from '../../../src/dashboard/admin.ts';
import type { Api } from '../../../src/dashboard/graphql.ts';
import { RequestError } from '../../../src/dashboard/request.ts';

const KEY = 'riftwatch.adminToken';
const execution = { id: 'E1', databaseId: 1 };

/** An API whose triggerJob answers with `answer(token)`, the token each try was sent with. */
function fakeApi(answer: (token: string | null) => unknown) {
  const tokens: Array<string | null> = [];
  const api = {
    request: async (_query: string, _variables: unknown, token: string | null) => {
      tokens.push(token);
      const result = answer(token);
      if (result instanceof Error) throw result;
      return { triggerJob: result };
    },
  } as unknown as Api;
  return { api, tokens };
}

const refused = (message: string, reason = 'TOKEN_REQUIRED') => ({
  __typename: 'UnauthenticatedError',
  code: 'UNAUTHENTICATED',
  message,
  reason,
});

beforeEach(() => {
  const store = new Map<string, string>();
  vi.stubGlobal('sessionStorage', {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => store.set(k, v),
    removeItem: (k: string) => store.delete(k),
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('triggering a job', () => {
  it('asks for the token the server wants, keeps it, and sends it', async () => {
    const { api, tokens } = fakeApi((token) =>
      token === 'good'
        ? { __typename: 'ExecutionPayload', execution }
        : refused('This operation needs the admin token'),
    );
    const ask = vi.fn(async () => 'good');
    await expect(triggerJob(api, 'J1', ask)).resolves.toEqual(execution);
    expect(tokens).toEqual([null, 'good']);
    expect(sessionStorage.getItem(KEY)).toBe('good');
  });

  it('a server without ADMIN_TOKEN is not asked for one: it is said what to do instead', async () => {
    const { api, tokens } = fakeApi(() =>
      refused(
        'No ADMIN_TOKEN is configured: mutations are accepted from loopback only',
        'NO_TOKEN_CONFIGURED',
      ),
    );
    const ask = vi.fn(async () => 'anything');
    const error = await triggerJob(api, 'J1', ask).catch((e: RequestError) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).message).toMatch(/localhost or 127\.0\.0\.1.*ADMIN_TOKEN/);
    expect(ask).not.toHaveBeenCalled();
    expect(tokens).toHaveLength(1);
  });

  it('the same from a top-level error (a server refusing before any resolver)', async () => {
    const { api } = fakeApi(
      () =>
        new RequestError(
          'No ADMIN_TOKEN is configured: mutations are …',
          'UNAUTHENTICATED',
          null,
          'NO_TOKEN_CONFIGURED',
        ),
    );
    const ask = vi.fn(async () => 'x');
    await expect(triggerJob(api, 'J1', ask)).rejects.toThrow(/ADMIN_TOKEN/);
    expect(ask).not.toHaveBeenCalled();
  });

  it('a token beyond visible ASCII (Latin-1 too) is asked for again, never stored', async () => {
    const { api, tokens } = fakeApi((token) =>
      token === 'fine' ? { __typename: 'ExecutionPayload', execution } : refused('needs the token'),
    );
    const answers = ['tökén', 'fine'];
    const asked: string[] = [];
    const ask = vi.fn(async (why: string) => {
      asked.push(why);
      expect(sessionStorage.getItem(KEY)).toBeNull();
      return answers.shift() ?? null;
    });
    await expect(triggerJob(api, 'J1', ask)).resolves.toEqual(execution);
    expect(asked[1]).toContain('“ö”, “é”');
    expect(asked[1]).not.toContain('tökén');
    expect(tokens).toEqual([null, 'fine']);
  });

  it('such a token kept by an older page is dropped before it is sent', async () => {
    sessionStorage.setItem(KEY, 'tökén');
    const { api, tokens } = fakeApi(() => ({ __typename: 'ExecutionPayload', execution }));
    await triggerJob(api, 'J1', async () => null);
    expect(tokens).toEqual([null]);
    expect(sessionStorage.getItem(KEY)).toBeNull();
  });
});

describe('the token question', () => {
  it('cancelled from outside (the operator left the page), answers no token', async () => {
    const prompt = createTokenPrompt();
    const seen: unknown[] = [];
    prompt.listen((request) => seen.push(request?.refusal ?? null));
    const answer = prompt.ask('needs the token');
    expect(prompt.current()?.refusal).toBe('needs the token');
    prompt.cancel();
    await expect(answer).resolves.toBeNull();
    expect(prompt.current()).toBeNull();
    expect(seen).toEqual(['needs the token', null]);
    // Nothing asked: nothing to cancel.
    prompt.cancel();
    expect(seen).toHaveLength(2);
  });
});
