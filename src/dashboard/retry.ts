// Reading again after a failed read: soon at first, then less and less often.

const FIRST_MS = 1000;
const MAX_MS = 15_000;

/** The wait before retry number `attempt` (0 for the first): 1 s, 2 s, 4 s, 8 s, then 15 s. */
export function retryDelay(attempt: number): number {
  return Math.min(FIRST_MS * 2 ** attempt, MAX_MS);
}

/** Runs `read` again after each failure it is told of, with growing waits until one succeeds. */
export function createRetry(read: () => void) {
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    failed(): void {
      clearTimeout(timer);
      timer = setTimeout(read, retryDelay(attempt));
      attempt += 1;
    },
    succeeded(): void {
      clearTimeout(timer);
      attempt = 0;
    },
    stop(): void {
      clearTimeout(timer);
    },
  };
}

/** A failure a retry may mend: no answer, an answer that is not GraphQL, or a server fault. */
export const isTransient = (error: { code?: string | null }) =>
  error.code === null || error.code === undefined || error.code === 'INTERNAL_SERVER_ERROR';
