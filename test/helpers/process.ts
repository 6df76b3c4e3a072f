import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export type Started = { child: ChildProcess; lines: string[]; port: number };

/**
 * Runs `node --import tsx src/main.ts` as `npm start` does, and resolves once it logs
 * "riftwatch listening" (rejects with its output if it exits or takes longer than `timeoutMs`).
 */
export function startRiftwatch(
  env: Record<string, string | undefined>,
  timeoutMs = 45_000,
): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('riftwatch did not start in time')), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n${lines.join('\n')}`));
    };
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        lines.push(line);
        if (line.includes('"riftwatch listening"')) {
          clearTimeout(timer);
          resolve({ child, lines, port: JSON.parse(line).port });
        }
      });
    }
    child.once('exit', (code) => fail(new Error(`riftwatch exited with ${code}`)));
  });
}

/** Sends SIGTERM and waits for the exit code. */
export function stopRiftwatch(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}
