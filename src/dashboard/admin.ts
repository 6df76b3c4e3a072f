import { adminTokenProblem } from '../admin-token.ts';
import { TRIGGER_JOB } from './documents.ts';
import type { Api } from './graphql.ts';
import { RequestError, UNSENDABLE_TOKEN } from './request.ts';
import type { Execution } from './types.ts';

const TOKEN_KEY = 'riftwatch.adminToken';

/** Shows the token dialog with the server's refusal; resolves to the token, or null on cancel. */
export type AskToken = (refusal: string) => Promise<string | null>;

type TriggerResult =
  | { __typename: 'ExecutionPayload'; execution: Execution }
  | { __typename: string; code: string; message: string; reason?: string };

/** This tab's token; one no server takes (kept by an older page) is dropped. */
function storedToken(): string | null {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token === null || adminTokenProblem(token) === null) return token;
  sessionStorage.removeItem(TOKEN_KEY);
  return null;
}

/** The dialog refuses such a token itself; this keeps one from ever being stored. */
async function askValidToken(askToken: AskToken, refusal: string): Promise<string | null> {
  for (let why = refusal; ; ) {
    const token = await askToken(why);
    const problem = token === null ? null : adminTokenProblem(token);
    if (problem === null) return token;
    why = problem;
  }
}

/**
 * Queues a run of the job. The first try goes without a token (a server without ADMIN_TOKEN takes
 * mutations from loopback) or with the one this tab was given; when the server answers
 * UNAUTHENTICATED the token is dropped and asked for again, unless the server has no token to
 * ask for (reason NO_TOKEN_CONFIGURED). Null when the operator cancelled.
 */
export async function triggerJob(
  api: Api,
  jobId: string,
  askToken: AskToken,
): Promise<Execution | null> {
  for (;;) {
    let refusal: string;
    try {
      const { triggerJob: result } = await api.request<{ triggerJob: TriggerResult }>(
        TRIGGER_JOB,
        { jobId },
        storedToken(),
      );
      if ('execution' in result) return result.execution;
      throw new RequestError(result.message, result.code, null, result.reason ?? null);
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      if (error.code === 'UNAUTHENTICATED' && error.reason === 'NO_TOKEN_CONFIGURED') {
        // No token would do: asking for one would only ask again.
        throw new RequestError(
          `${error.message}. Open the dashboard on the server's machine (as localhost or 127.0.0.1), or give the server an ADMIN_TOKEN to trigger runs from here.`,
          error.code,
        );
      }
      if (error.code !== 'UNAUTHENTICATED' && error.code !== UNSENDABLE_TOKEN) throw error;
      refusal = error.message;
    }
    sessionStorage.removeItem(TOKEN_KEY);
    const token = await askValidToken(askToken, refusal);
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
    /** Drops the question being asked, if any, as if the operator cancelled it. */
    cancel: () => current?.answer(null),
    listen(listener: (request: TokenRequest | null) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type TokenPrompt = ReturnType<typeof createTokenPrompt>;
