/**
 * A benchmark's main and its cleanup: the cleanup steps (dropping the database, stopping the
 * simulator or the job engine) run whether the main succeeds, fails, or the process gets SIGINT or
 * SIGTERM; then the process exits (1 on a failure), since a stopped job engine leaves a timer
 * that would keep it alive.
 */
import { settleAll } from './bench-db.ts';

/** Registers a cleanup step; steps run last registered first. */
export type Defer = (step: () => Promise<unknown>) => void;

export async function runBench(
  name: string,
  main: (defer: Defer) => Promise<void>,
): Promise<never> {
  const steps: (() => Promise<unknown>)[] = [];
  let cleaning: Promise<void> | null = null;
  const cleanup = () => {
    cleaning ??= settleAll([...steps].reverse());
    return cleaning.then(
      () => 0,
      (error: unknown) => {
        console.error(`${name}: cleanup failed:`, error);
        return 1;
      },
    );
  };
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      console.error(`${name}: ${signal}, cleaning up`);
      void cleanup().then(() => process.exit(code));
    });
  }
  let code = 0;
  try {
    await main((step) => steps.push(step));
  } catch (error) {
    console.error(`${name} failed:`, error);
    code = 1;
  }
  code = Math.max(code, await cleanup());
  process.exit(code);
}
