import { TRIGGER_JOB } from './documents.ts';
import { type Api, RequestError } from './graphql.ts';
import type { Execution } from './types.ts';

const TOKEN_KEY = 'riftwatch.adminToken';

/** Shows the token dialog with the server's refusal; resolves to the token, or null on cancel. */
export type AskToken = (refusal: string) => Promise<string | null>;

type TriggerResult =
  | { __typename: 'ExecutionPayload'; execution: Execution }
  | { __typename: string; code: string; message: string };

/**
 * Queues a run of the job. The first try goes without a token (a server without ADMIN_TOKEN takes
 * mutations from loopback) or with the one this tab was given; when the server answers
 * UNAUTHENTICATED the token is dropped and asked for again. Null when the operator cancelled.
 */
export async function triggerJob(
  api: Api,
  jobId: string,
  askToken: AskToken,
): Promise<Execution | null> {
  for (;;) {
    let refusal: string;
    try {
      const token = sessionStorage.getItem(TOKEN_KEY);
      const { triggerJob: result } = await api.request<{ triggerJob: TriggerResult }>(
        TRIGGER_JOB,
        { jobId },
        token,
      );
      if ('execution' in result) return result.execution;
      if (result.code !== 'UNAUTHENTICATED') throw new RequestError(result.message, result.code);
      refusal = result.message;
    } catch (error) {
      if (!(error instanceof RequestError) || error.code !== 'UNAUTHENTICATED') throw error;
      refusal = error.message;
    }
    sessionStorage.removeItem(TOKEN_KEY);
    const token = await askToken(refusal);
    if (token === null) return null;
    sessionStorage.setItem(TOKEN_KEY, token);
  }
}

export type TokenRequest = { refusal: string; answer(token: string | null): void };

/** One token question at a time, for the dialog component to show. */
export function createTokenPrompt() {
  let current: TokenRequest | null = null;
  const listeners = new Set<(request: TokenRequest | null) => void>();
  const show = (request: TokenRequest | null) => {
    current = request;
    for (const listener of listeners) listener(request);
  };
  const ask: AskToken = (refusal) =>
    new Promise((resolve) => {
      current?.answer(null);
      show({
        refusal,
        answer: (token) => {
          show(null);
          resolve(token);
        },
      });
    });
  return {
    ask,
    current: () => current,
    listen(listener: (request: TokenRequest | null) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type TokenPrompt = ReturnType<typeof createTokenPrompt>;
