import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterAll } from 'vitest';

export type Started = { child: ChildProcess; lines: string[]; port: number };

export type SpawnOptions = {
  /** Default: this checkout. */
  cwd?: string;
  /** Default: `node --import tsx src/main.ts`, as `npm start` runs it. */
  command?: string[];
  /**
   * Its own process group, as a shell gives a command: `stopRiftwatch(…, { group: true })` then
   * signals the whole group, as Ctrl-C in a terminal does (npm does not pass SIGINT on to node).
   */
  group?: boolean;
};

const TSX_MAIN = [process.execPath, '--import', 'tsx', 'src/main.ts'];

/** Children still running: a test that fails before stopping its riftwatch leaves none behind. */
const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
});

function spawnRiftwatch(env: Record<string, string | undefined>, options: SpawnOptions) {
  const [command = process.execPath, ...args] = options.command ?? TSX_MAIN;
  const child = spawn(command, args, {
    cwd: options.cwd,
    detached: options.group === true,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/**
 * Runs riftwatch as a real process, and resolves once it logs "riftwatch listening" (rejects with
 * its output if it exits or takes longer than `timeoutMs`).
 */
export function startRiftwatch(
  env: Record<string, string | undefined>,
  timeoutMs = 45_000,
  options: SpawnOptions = {},
): Promise<Started> {
  const child = spawnRiftwatch(env, options);
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

export type Exited = { code: number | null; stdout: string; stderr: string };

/** Runs riftwatch until it exits by itself (a start that fails); kills it after `timeoutMs`. */
export function runUntilExit(
  env: Record<string, string | undefined>,
  timeoutMs = 45_000,
  options: SpawnOptions = {},
): Promise<Exited> {
  const child = spawnRiftwatch(env, options);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Sends `signal` (SIGTERM by default; to the whole process group with `group`) and waits for the
 * exit code; kills and rejects after `timeoutMs`.
 */
export function stopRiftwatch(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  { group = false, timeoutMs = 60_000 } = {},
): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  const pid = child.pid as number;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`riftwatch did not stop within ${timeoutMs} ms of ${signal}`));
    }, timeoutMs);
    child.removeAllListeners('exit');
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    process.kill(group ? -pid : pid, signal);
  });
}

/** Every live process below `pid` (Linux /proc), with its command line. */
export function descendantsOf(pid: number): Array<{ pid: number; ppid: number; command: string }> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) follows the command name in parentheses, which may contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // The process ended while we listed.
    }
  }
  const found: number[] = [];
  const below = (parent: number) => {
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child);
        below(child);
      }
    }
  };
  below(pid);
  return found.map((p) => ({ pid: p, ppid: parents.get(p) as number, command: commandOf(p) }));
}

/**
 * The PostgreSQL servers (postmasters) below `pid`. A process the postmaster has just forked
 * keeps its command line until it names itself ("postgres: checkpointer"), so only the one
 * whose parent is no such process counts.
 */
export function postmastersOf(pid: number): Array<{ pid: number; command: string }> {
  const servers = descendantsOf(pid).filter((p) => / -D \//.test(p.command));
  const pids = new Set(servers.map((p) => p.pid));
  return servers.filter((p) => !pids.has(p.ppid));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}
