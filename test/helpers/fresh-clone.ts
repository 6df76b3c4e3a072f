import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  commandOf,
  descendantsOf,
  isAlive,
  type Started,
  startRiftwatch,
  stopRiftwatch,
} from './process.ts';
import { waitFor } from './wait.ts';

const run = promisify(execFile);

export type FreshClone = {
  /** The folder the clone sits in (mode 0700 unless `owner` is given). */
  home: string;
  dir: string;
  /** `npm start` with nothing configured, in its own process group as a shell runs it. */
  start(): Promise<Started>;
  /** Ctrl-C: SIGINT to the group; resolves once riftwatch logged "Stopped" and no process is left. */
  interrupt(app: Started): Promise<void>;
  remove(): Promise<void>;
};

/**
 * This repository's HEAD cloned as a new user would, in a new folder under the temp dir. `npm ci`
 * takes minutes here, so the installed tree is hard-linked in (real paths inside the clone, which
 * is what the binaries' reachability depends on) and `npm ci`'s postinstall step runs. With
 * `owner`, the clone (not node_modules, which stays world-readable) belongs to that user and
 * every command runs as them.
 */
export async function freshClone(owner?: string): Promise<FreshClone> {
  const home = await mkdtemp(join(tmpdir(), 'rw-home-'));
  const dir = join(home, 'riftwatch');
  const as = (command: string[]) => (owner ? ['runuser', '-u', owner, '--', ...command] : command);
  const env = { HOME: home, DATABASE_URL: undefined, DATA_DIR: undefined, PORT: '0' };
  await run('git', ['clone', '--quiet', process.cwd(), dir]);
  if (owner) {
    await chmod(home, 0o755);
    await run('chown', ['-R', `${owner}:`, home]);
  }
  await run('cp', ['-al', 'node_modules', join(dir, 'node_modules')]).catch(() =>
    run('cp', ['-a', 'node_modules', join(dir, 'node_modules')]),
  );
  // What `npm ci` runs after installing: the Prisma client generated, the dashboard bundled.
  const [postinstall, ...args] = as(['npm', 'run', 'postinstall']);
  await run(postinstall as string, args, { cwd: dir, env: { ...process.env, HOME: home } });

  // Every process each start made, to kill after a failed test (the server has its own group).
  const spawned: Array<{ pid: number; command: string }> = [];
  const children: Started[] = [];
  return {
    home,
    dir,
    async start() {
      const app = await startRiftwatch(
        { ...env, RIOT_API_KEY: undefined, RIOT_API_BASE_URL: undefined, LOG_LEVEL: 'info' },
        120_000,
        { cwd: dir, command: as(['npm', 'start']), group: true },
      );
      spawned.push(...descendantsOf(app.child.pid as number));
      children.push(app);
      return app;
    },
    async interrupt(app) {
      const processes = descendantsOf(app.child.pid as number);
      // npm ends at once on SIGINT; riftwatch then stops in order and takes along what it started.
      await stopRiftwatch(app.child, 'SIGINT', { group: true });
      const done = () => app.lines.some((l) => l.includes('"msg":"Stopped"'));
      await waitFor(async () => done(), 60_000, 'riftwatch to log "Stopped"');
      await waitFor(async () => processes.every((p) => !isAlive(p.pid)), 10_000, 'no process left');
    },
    async remove() {
      for (const app of children) if (app.child.exitCode === null) app.child.kill('SIGKILL');
      // Only a process that is still the one we started (same command line), never a reused pid.
      for (const { pid, command } of spawned) {
        if (isAlive(pid) && commandOf(pid) === command) process.kill(pid, 'SIGKILL');
      }
      await rm(home, { recursive: true, force: true });
    },
  };
}
