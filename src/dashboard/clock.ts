import { useEffect, useState } from 'preact/hooks';

/**
 * Re-renders the component every `everyMs` while `running`: for labels that age ("in 2 min", a
 * countdown). Components read `Date.now()` as they render, so a label is never a tick late.
 */
export function useTick(everyMs: number, running = true): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setTick((n) => n + 1), everyMs);
    return () => clearInterval(timer);
  }, [everyMs, running]);
}

/** Whole seconds of a countdown left at `now` (the browser's clock); 0 once over, or with none. */
export const secondsLeft = (until: number | null, now: number) =>
  until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
