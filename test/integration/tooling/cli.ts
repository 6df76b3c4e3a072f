import { type ChildProcess, spawn } from 'node:child_process';

export type CliResult = { code: number | null; stdout: string; stderr: string };

// biome-ignore lint/suspicious/noExplicitAny: test assertions over untyped JSON
export type Loose = any;

/** The environment a CLI test controls: no inherited token, URL, .env file or colours. */
function envOf(env: Record<string, string | undefined>) {
  const base: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: '1',
    ENV_FILE: '/nonexistent/riftwatch-test.env',
  };
  delete base.ADMIN_TOKEN;
  delete base.RIFTWATCH_URL;
  return { ...base, ...env };
}

/** Starts `node bin/riftwatch.js …` (what `npx riftwatch` runs) and collects its output. */
export function spawnCli(args: string[], env: Record<string, string | undefined> = {}) {
  const child = spawn(process.execPath, ['bin/riftwatch.js', ...args], {
    env: envOf(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result: CliResult = { code: null, stdout: '', stderr: '' };
  child.stdout.on('data', (d) => (result.stdout += d));
  child.stderr.on('data', (d) => (result.stderr += d));
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code) => resolve({ ...result, code })),
  );
  return { child, result, done };
}

export function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  timeoutMs = 20_000,
): Promise<CliResult> {
  const { child, done } = spawnCli(args, env);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return done.finally(() => clearTimeout(timer));
}

/** Runs a command line in a pseudo-terminal (util-linux `script`), as a user at a terminal. */
export function runInTerminal(command: string, env: Record<string, string | undefined>) {
  const child: ChildProcess = spawn('script', ['-qec', command, '/dev/null'], {
    env: envOf(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  return new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, output })),
  );
}

/** The `--json` output of a run. */
export const jsonOf = (r: CliResult): Loose => JSON.parse(r.stdout);
