// Reading the snapshot again now and then: an event lost on the server's side while the socket
// stays up (a run by another process with no Redis between them, a Redis blip) is mended then.

/**
 * A minute: a lost event is rare and only leaves a row out of date, so a minute of that is fine,
 * and one snapshot a minute per open tab costs the server next to nothing.
 */
export const REFRESH_MS = 60_000;

/**
 * Runs `read` once `everyMs` have passed since the last read that succeeded, while the page is
 * shown. It is told when any read starts and when one succeeds: no timer runs while a read is in
 * flight, nor after a failure (the retry reads again until one succeeds, which starts the period
 * again). A hidden page is not read; shown again, it is read at once if a period was running.
 */
export function createRefresh(read: () => void, everyMs = REFRESH_MS) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let due = false;
  let shown = true;
  let stopped = false;
  const arm = () => {
    clearTimeout(timer);
    if (due && shown && !stopped) timer = setTimeout(read, everyMs);
  };
  return {
    started(): void {
      due = false;
      clearTimeout(timer);
    },
    succeeded(): void {
      due = true;
      arm();
    },
    /** The page was hidden or shown (`document.visibilityState`). */
    visibility(isShown: boolean): void {
      if (isShown === shown) return;
      shown = isShown;
      if (shown && due && !stopped) read();
      else arm();
    },
    stop(): void {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
