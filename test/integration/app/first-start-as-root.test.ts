import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  descendantsOf,
  isAlive,
  killTree,
  type Started,
  startRiftwatch,
  stopRiftwatch,
} from '../../helpers/process.ts';
import { waitFor } from '../../helpers/wait.ts';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;

// What a new user does in a container or a fresh VM: clone into root's home (mode 0700), install,
// `npm start` with nothing configured. PostgreSQL runs as the postgres user, which cannot enter
// that home: neither the data folder nor the binaries inside node_modules may stay there.
describe.skipIf(!isRoot)('npm start as root in a fresh clone under a 0700 home (root only)', () => {
  let home = '';
  let running: Started | undefined;
  const movedDataDir = (clone: string) =>
    `/var/lib/riftwatch/${join(clone, '.riftwatch', 'postgres').split('/').filter(Boolean).join('_')}`;
  afterAll(async () => {
    killTree(running?.child);
    if (!home) return;
    await rm(movedDataDir(join(home, 'riftwatch')), { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  });

  it('starts on an embedded PostgreSQL, answers /health, stops cleanly, and reuses its data', async () => {
    home = await mkdtemp(join(tmpdir(), 'rw-home-'));
    expect((await stat(home)).mode & 0o777).toBe(0o700);
    const clone = join(home, 'riftwatch');
    await run('git', ['clone', '--quiet', process.cwd(), clone]);
    // `npm ci` takes minutes here: the installed tree is linked in instead (real paths inside the
    // clone, which is what matters), then `npm ci`'s postinstall step runs.
    await run('cp', ['-al', 'node_modules', join(clone, 'node_modules')]).catch(() =>
      run('cp', ['-a', 'node_modules', join(clone, 'node_modules')]),
    );
    await run('npm', ['run', 'generate'], { cwd: clone });

    const env = {
      DATABASE_URL: undefined,
      DATA_DIR: undefined,
      RIOT_API_KEY: undefined,
      RIOT_API_BASE_URL: undefined,
      PORT: '0',
      LOG_LEVEL: 'info',
    };
    const start = async () => {
      running = await startRiftwatch(env, 120_000, {
        cwd: clone,
        command: ['npm', 'start'],
        group: true,
      });
      return running;
    };
    // Ctrl-C in the terminal: SIGINT to npm, its shell and node alike. npm itself ends at once;
    // riftwatch then stops in order (its log says so) and takes every process it started along.
    const interrupt = async (app: Started) => {
      const processes = descendantsOf(app.child.pid as number);
      await stopRiftwatch(app.child, 'SIGINT', { group: true });
      await waitFor(async () => has(app, 'Stopped'), 30_000, 'riftwatch stopped');
      await waitFor(async () => processes.every((p) => !isAlive(p.pid)), 10_000, 'none left');
      return processes;
    };
    const has = (app: Started, msg: string) => app.lines.some((l) => l.includes(`"msg":"${msg}`));

    const first = await start();
    const moved = JSON.parse(first.lines.find((l) => l.includes('data folder moved')) ?? '{}');
    expect(moved.wanted).toBe(join(clone, '.riftwatch', 'postgres'));
    expect(moved.using).toBe(movedDataDir(clone));
    expect(has(first, 'Initialising embedded PostgreSQL data folder')).toBe(true);
    const health = await fetch(`http://127.0.0.1:${first.port}/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'up' });
    const processes = descendantsOf(first.child.pid as number);
    const postgres = processes.find((p) => / -D \/var\/lib\/riftwatch\//.test(p.command));
    expect(postgres?.command, JSON.stringify(processes)).toMatch(
      /^\/var\/lib\/riftwatch\/postgres-[^/]+\/bin\/postgres /,
    );
    const { stdout: owner } = await run('ps', ['-o', 'user=', '-p', String(postgres?.pid)]);
    expect(owner.trim()).toBe('postgres');

    await interrupt(first);
    expect(has(first, 'Embedded PostgreSQL stopped')).toBe(true);
    expect(isAlive(postgres?.pid as number)).toBe(false);

    const second = await start();
    expect(has(second, 'Initialising embedded PostgreSQL data folder')).toBe(false);
    const migrated = JSON.parse(
      second.lines.find((l) => l.includes('"Database migrated"')) ?? '{}',
    );
    expect(migrated.applied).toBe(0);
    expect(migrated.alreadyApplied).toBeGreaterThan(0);
    // The demo players of the first start are still tracked: nothing is tracked again.
    expect(has(first, 'First start on the simulator')).toBe(true);
    expect(has(second, 'First start on the simulator')).toBe(false);
    const again = await fetch(`http://127.0.0.1:${second.port}/health`);
    expect(again.status).toBe(200);
    await interrupt(second);
    expect(has(second, 'Embedded PostgreSQL stopped')).toBe(true);
  }, 240_000);
});
