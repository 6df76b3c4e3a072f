/** A debounced call; `cancel` drops the run still pending. */
export type Debounced = (() => void) & { cancel(): void };

/** Runs `fn` once after calls stop coming for `ms` (a burst of events, one read). */
export function debounce(fn: () => void, ms: number): Debounced {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const call = () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
  return Object.assign(call, { cancel: () => clearTimeout(timer) });
}
