/**
 * Wraps `work` so calls never overlap and a burst of calls while one runs costs one more run:
 * every caller gets the result of a run that started after its call.
 */
export function coalesced<T>(work: () => Promise<T>): () => Promise<T> {
  let queued: Promise<T> | null = null;
  let tail: Promise<unknown> = Promise.resolve();
  return () => {
    if (queued) return queued;
    const next = tail.then(() => {
      queued = null;
      return work();
    });
    queued = next;
    tail = next.catch(() => {});
    return next;
  };
}
