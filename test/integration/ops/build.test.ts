import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  copyFile,
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { startRiftwatch, stopRiftwatch } from '../../helpers/process.ts';

const run = promisify(execFile);

/** The command the backend container runs: compose's `command`, else the Dockerfile's last CMD. */
async function backendCommand(): Promise<string[]> {
  const compose = parse(await readFile('docker-compose.yml', 'utf8'));
  if (compose.services.backend.command) return compose.services.backend.command;
  const cmd = (await readFile('Dockerfile', 'utf8')).match(/^CMD (\[.*\])$/gm)?.pop();
  return JSON.parse(cmd?.slice(4) ?? '[]');
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

// `npm run build` then `node dist/main.js`, laid out as the runtime image's /app: package.json,
// dist/, prisma/migrations and node_modules side by side, no TypeScript source.
describe('production build', () => {
  let app = '';
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    app = await mkdtemp(join(tmpdir(), 'rw-app-'));
    await run('npm', ['run', 'build', '--', '--out-dir', join(app, 'dist')]);
    await copyFile('package.json', join(app, 'package.json'));
    await mkdir(join(app, 'prisma'));
    await symlink(join(process.cwd(), 'prisma', 'migrations'), join(app, 'prisma', 'migrations'));
    // The image's node_modules has no dev dependencies: no tsx here either.
    await mkdir(join(app, 'node_modules'));
    for (const entry of await readdir('node_modules')) {
      if (entry === 'tsx' || entry === '.bin') continue;
      await symlink(join(process.cwd(), 'node_modules', entry), join(app, 'node_modules', entry));
    }
    await cp('bin', join(app, 'bin'), { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await rm(app, { recursive: true, force: true });
    await db.drop();
  });

  it('compiles every source file to JavaScript whose relative imports name .js files', async () => {
    // The dashboard's browser code is bundled (below), not compiled for Node.
    const sources = (await filesUnder('src')).filter(
      (f) => f.endsWith('.ts') && !f.startsWith(join('src', 'dashboard')),
    );
    const built = new Set(await filesUnder(join(app, 'dist')));
    for (const source of sources) {
      const output = join(app, 'dist', relative('src', source)).replace(/\.ts$/, '.js');
      expect(built.has(output), output).toBe(true);
    }
    // Prisma's generated client included: its `./x.ts` imports must have become `./x.js`.
    const generated = await readFile(join(app, 'dist', 'generated', 'prisma', 'client.js'), 'utf8');
    expect(generated).toMatch(/from ["']\.\/internal\/class\.js["']/);
    for (const file of [...built].filter((f) => f.endsWith('.js'))) {
      const text = await readFile(file, 'utf8');
      expect(text, file).not.toMatch(/(?:from|import\() *["']\.{1,2}\/[^"']*\.ts["']/);
    }
    // The simulator's data file, read next to its module.
    expect(
      built.has(join(app, 'dist', 'riot', 'simulator', 'templates', 'match-template.json')),
    ).toBe(true);
  });

  it('runs with plain node (no tsx): migrates, starts the simulator, answers /health', async () => {
    const started = await startRiftwatch(
      { DATABASE_URL: db.url, PORT: '0', RIOT_API_KEY: undefined, RIOT_API_BASE_URL: undefined },
      60_000,
      { cwd: app, command: [process.execPath, 'dist/main.js'] },
    );
    // Stopped, passed or failed: a server left running would outlive the test run.
    try {
      const health = await fetch(`http://127.0.0.1:${started.port}/health`);
      expect(await health.json()).toMatchObject({ status: 'ok', database: 'up' });
      // The dashboard, bundled next to dist/ (build/dashboard/) and found from dist/http/.
      const page = await (await fetch(`http://127.0.0.1:${started.port}/`)).text();
      const script = /src="\/dashboard\/(app-[A-Z0-9]{8}\.js)"/.exec(page)?.[1] as string;
      expect(existsSync(join(app, 'build', 'dashboard', script))).toBe(true);
      expect((await fetch(`http://127.0.0.1:${started.port}/dashboard/${script}`)).status).toBe(
        200,
      );
      expect(existsSync(join(app, 'dist', 'dashboard'))).toBe(false);
      expect(started.lines.some((l) => l.includes('"Database migrated"'))).toBe(true);
      expect(started.lines.some((l) => l.includes('built-in Riot API simulator'))).toBe(true);
      // The CLI, compiled, where tsx is not installed.
      const cli = await run(process.execPath, [
        join(app, 'bin', 'riftwatch.js'),
        '--url',
        `http://127.0.0.1:${started.port}`,
        '--json',
        'jobs',
        'list',
      ]);
      expect(JSON.parse(cli.stdout).jobs.length).toBeGreaterThan(0);
      expect(await stopRiftwatch(started.child)).toBe(0);
    } finally {
      if (started.child.exitCode === null) started.child.kill('SIGKILL');
    }
    const { rows } = await db.sql('SELECT count(*)::int AS n FROM players WHERE is_tracked');
    expect(rows[0]?.n).toBeGreaterThan(0); // the first start's demo players: Prisma works compiled
  });

  it("has the backend container's command in the build output", async () => {
    const command = await backendCommand();
    expect(command).toEqual(['node', 'dist/main.js']);
    expect(existsSync(join(app, command[1] as string))).toBe(true);
  });
});

// The build empties its output folders first: never one of the project's, nor someone's files.
// (Run from a copy of the scripts in a stand-in project folder: should a check ever fail, nothing
// real is deleted.)
describe('npm run build --out-dir', () => {
  let project = '';
  let build = '';
  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'rw-project-'));
    for (const dir of ['src', 'prisma']) {
      await mkdir(join(project, dir));
      await writeFile(join(project, dir, 'keep.txt'), 'mine');
    }
    await cp('scripts', join(project, 'scripts'), { recursive: true });
    await mkdir(join(project, 'src', 'dashboard'));
    await writeFile(join(project, 'src', 'dashboard', 'main.ts'), '');
    await writeFile(join(project, 'package.json'), '{}');
    build = join(project, 'scripts', 'build.mjs');
  });
  afterAll(() => rm(project, { recursive: true, force: true }));

  const refusal = (args: string[], script = build) =>
    run(process.execPath, [script, ...args], { cwd: project }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );

  it.each(['src', '.', 'prisma', 'src/dist', '..'])('refuses %s, deleting nothing', async (dir) => {
    expect(await refusal(['--out-dir', dir])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/(part of|holds) the project/),
    });
    for (const kept of ['src', 'prisma']) {
      expect(await readFile(join(project, kept, 'keep.txt'), 'utf8')).toBe('mine');
    }
  });

  it('refuses a folder that holds something other than an earlier build', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'rw-not-a-build-'));
    try {
      await writeFile(join(folder, 'notes.txt'), 'mine');
      expect(await refusal(['--out-dir', folder])).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/not replaced/),
      });
      expect(await readFile(join(folder, 'notes.txt'), 'utf8')).toBe('mine');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("refuses, before anything is built, a dashboard's folder next to it that holds other files", async () => {
    const app = await mkdtemp(join(tmpdir(), 'rw-app-'));
    try {
      await mkdir(join(app, 'build', 'dashboard'), { recursive: true });
      await writeFile(join(app, 'build', 'dashboard', 'notes.txt'), 'mine');
      const refused = await refusal(['--out-dir', join(app, 'dist')]);
      expect(refused).toMatchObject({ code: 2 });
      expect(refused?.stderr).toMatch(/^npm run build: the dashboard's folder .*not replaced\n$/);
      expect(await readFile(join(app, 'build', 'dashboard', 'notes.txt'), 'utf8')).toBe('mine');
      expect(existsSync(join(app, 'dist'))).toBe(false);
      const dashboard = join(project, 'scripts', 'build-dashboard.mjs');
      const alone = await refusal(['--out-dir', join(app, 'build', 'dashboard')], dashboard);
      expect(alone?.stderr).toMatch(/^npm run build:dashboard: --out-dir .*not replaced\n$/);
    } finally {
      await rm(app, { recursive: true, force: true });
    }
  });

  it.each([
    [
      ['--out-dir', 'package.json'],
      'npm run build: --out-dir "package.json" is a file, not a folder',
    ],
    [['--outdir', 'x'], "npm run build: Unknown option '--outdir'"],
  ])('%j is one line on stderr and exit 2, no stack', async (args, message) => {
    const refused = await refusal(args);
    expect(refused?.code).toBe(2);
    expect(refused?.stderr.startsWith(message)).toBe(true);
    expect(refused?.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
