import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../../src/db/embedded.ts';
import { binariesReachableByAll, packagedBinaries } from '../../../src/db/embedded-binaries.ts';
import { createPostgresServer } from '../../../src/db/embedded-server.ts';
import { silentLogger } from '../../../src/logger.ts';
import { isAlive, runUntilExit } from '../../helpers/process.ts';
import { waitFor } from '../../helpers/wait.ts';
import { startOwner as startOwnerProcess } from './fixtures/owner-process.ts';

const asRoot = process.getuid?.() === 0;
const SHARED = '/var/lib/riftwatch';
const PASSWORD_FILE = 'riftwatch-password';

/** Temporary folders and processes each test made, removed and killed at the end. */
const folders: string[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const folder of folders) {
    await stopPostmastersOn(folder);
    await rm(folder, { recursive: true, force: true });
  }
});

/** A temporary DATA_DIR the postgres user can reach as root (else it moves to /var/lib). */
async function tempDataDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o755);
  folders.push(dir);
  return dir;
}

/** Where riftwatch moves a data folder the postgres user cannot reach, as root. */
function movedDir(databaseDir: string): string {
  return join(SHARED, databaseDir.split('/').filter(Boolean).join('_'));
}

/** Live postmasters whose command line names a folder under `folder`. */
function postmastersOn(folder: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const dir = args.indexOf('-D');
      if (dir >= 0 && args[dir + 1]?.startsWith(folder)) pids.push(Number(entry));
    } catch {
      // Ended while listed.
    }
  }
  return pids;
}

/** Fast shutdown of what runs on `folder` (no leftover shared memory), killed if it lingers. */
async function stopPostmastersOn(folder: string): Promise<void> {
  const pids = postmastersOn(folder);
  for (const pid of pids) process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 10_000;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

async function postmasterPid(databaseDir: string): Promise<number> {
  return Number((await readFile(join(databaseDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

function passwordOf(url: string): string {
  return decodeURIComponent(new URL(url).password);
}

function portOf(url: string): string {
  return new URL(url).port;
}

/** The SQLSTATE of a connection as `postgres` with `password`; null when it connects. */
async function loginError(port: string, password: string): Promise<string | null> {
  const client = new pg.Client({
    connectionString: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

async function sql(url: string, text: string, database = 'postgres'): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: `${url}/${database}` });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/** The owner fixture's process, killed at the end if still running. */
function startOwner(databaseDir: string) {
  const owner = startOwnerProcess(databaseDir);
  children.push(owner.child);
  return owner;
}

describe('embedded PostgreSQL superuser password', () => {
  it('is random per data folder, kept readable by its owner only, and the old fixed one is refused', async () => {
    const dataDir = await tempDataDir('rw-password-');
    const databaseDir = join(dataDir, 'postgres');
    const server = await startEmbeddedPostgres(databaseDir, silentLogger());
    try {
      const password = passwordOf(server.serverUrl);
      expect(password).toMatch(/^[\w-]{32}$/);
      const file = join(databaseDir, PASSWORD_FILE);
      expect((await readFile(file, 'utf8')).trim()).toBe(password);
      const info = await stat(file);
      expect(info.mode & 0o777).toBe(0o600);
      if (asRoot) {
        expect(info.uid).toBe(Number(execFileSync('id', ['-u', 'postgres']).toString()));
      }
      expect(await loginError(portOf(server.serverUrl), 'riftwatch')).toBe('28P01');
      const hba = await sql(server.serverUrl, 'SELECT DISTINCT auth_method FROM pg_hba_file_rules');
      expect(hba.rows.map((r) => r.auth_method)).toContain('scram-sha-256');
      expect(hba.rows.map((r) => r.auth_method)).not.toContain('password');
    } finally {
      await server.stop();
    }
    // The next start (a fresh process would read the same file) uses it.
    const again = await startEmbeddedPostgres(databaseDir, silentLogger());
    expect(passwordOf(again.serverUrl)).toBe(
      (await readFile(join(databaseDir, PASSWORD_FILE), 'utf8')).trim(),
    );
    await again.stop();
  }, 90_000);

  it('a data folder made with the old fixed password keeps its data and gets a random one, also after a start killed midway', async () => {
    const dataDir = await tempDataDir('rw-legacy-');
    const databaseDir = join(dataDir, 'postgres');
    // A folder as riftwatch made it before: superuser password `riftwatch`, no password file.
    const first = await startEmbeddedPostgres(databaseDir, silentLogger());
    await sql(first.serverUrl, 'CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)');
    await sql(first.serverUrl, `ALTER ROLE postgres PASSWORD 'riftwatch'`);
    await first.stop();
    await rm(join(databaseDir, PASSWORD_FILE));

    const second = await startEmbeddedPostgres(databaseDir, silentLogger());
    const password = passwordOf(second.serverUrl);
    try {
      expect(password).not.toBe('riftwatch');
      expect((await readFile(join(databaseDir, PASSWORD_FILE), 'utf8')).trim()).toBe(password);
      expect(await loginError(portOf(second.serverUrl), 'riftwatch')).toBe('28P01');
      expect((await sql(second.serverUrl, 'SELECT v FROM kept')).rows).toEqual([{ v: 42 }]);
      // A start killed after the role changed, before the new password was renamed into place.
      await sql(second.serverUrl, `ALTER ROLE postgres PASSWORD 'pending-one'`);
    } finally {
      await second.stop();
    }
    await rm(join(databaseDir, PASSWORD_FILE));
    await writeFile(join(databaseDir, 'riftwatch-password.pending'), 'pending-one\n', {
      mode: 0o600,
    });
    const third = await startEmbeddedPostgres(databaseDir, silentLogger());
    try {
      expect(passwordOf(third.serverUrl)).toBe('pending-one');
      expect((await readFile(join(databaseDir, PASSWORD_FILE), 'utf8')).trim()).toBe('pending-one');
      expect((await sql(third.serverUrl, 'SELECT v FROM kept')).rows).toEqual([{ v: 42 }]);
    } finally {
      await third.stop();
    }
  }, 120_000);

  it('a process joining a server whose (older) riftwatch still runs keeps the old password for it', async () => {
    const dataDir = await tempDataDir('rw-legacy-join-');
    const databaseDir = join(dataDir, 'postgres');
    const owner = startOwner(databaseDir);
    try {
      const ownerUrl = await owner.url();
      // As a riftwatch from before per-folder passwords runs it.
      await sql(ownerUrl, `ALTER ROLE postgres PASSWORD 'riftwatch'`);
      await rm(join(databaseDir, PASSWORD_FILE));
      const joined = await startEmbeddedPostgres(databaseDir, silentLogger());
      expect(passwordOf(joined.serverUrl)).toBe('riftwatch');
      expect(await loginError(portOf(joined.serverUrl), 'riftwatch')).toBeNull();
      await joined.stop();
      owner.child.stdin?.end('stop\n');
      expect(await owner.exited).toBe(0);
    } finally {
      if (owner.child.exitCode === null) owner.child.kill('SIGKILL');
      await stopPostmastersOn(dataDir);
    }
    // The next start replaces it.
    const next = await startEmbeddedPostgres(databaseDir, silentLogger());
    expect(passwordOf(next.serverUrl)).not.toBe('riftwatch');
    await next.stop();
  }, 120_000);

  it.runIf(asRoot)(
    'as root, in a data folder moved to /var/lib/riftwatch: the file belongs to postgres, and the server restarts',
    async () => {
      // A DATA_DIR the postgres user cannot enter: the data moves to /var/lib/riftwatch.
      const dataDir = await mkdtemp(join(tmpdir(), 'rw-root-'));
      await chmod(dataDir, 0o700);
      folders.push(dataDir);
      const databaseDir = join(dataDir, 'postgres');
      const moved = movedDir(databaseDir);
      folders.push(moved, `${moved}.start-lock`);
      const server = await startEmbeddedPostgres(databaseDir, silentLogger());
      try {
        const info = await stat(join(moved, PASSWORD_FILE));
        expect(info.uid).toBe(Number(execFileSync('id', ['-u', 'postgres']).toString()));
        expect(info.mode & 0o777).toBe(0o600);
        expect((await stat(moved)).mode & 0o777).toBe(0o700);
        expect(await loginError(portOf(server.serverUrl), 'riftwatch')).toBe('28P01');
      } finally {
        await server.stop();
      }
      const again = await startEmbeddedPostgres(databaseDir, silentLogger());
      expect((await sql(again.serverUrl, 'SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await again.stop();
      await rm(moved, { recursive: true, force: true });
    },
    120_000,
  );
});

describe('the running server of a data folder', () => {
  it("is recognised through a symlink; a lock file naming another folder's server is stale", async () => {
    const dataDir = await tempDataDir('rw-symlink-');
    const databaseDir = join(dataDir, 'postgres');
    const first = await startEmbeddedPostgres(databaseDir, silentLogger());
    await first.stop();

    // The same folder's server, started through a symlink (as a riftwatch given DATA_DIR through
    // one would have), with no riftwatch owning it.
    const link = join(dataDir, 'link');
    await symlink(databaseDir, link);
    const ids = asRoot
      ? {
          uid: Number(execFileSync('id', ['-u', 'postgres']).toString()),
          gid: Number(execFileSync('id', ['-g', 'postgres']).toString()),
        }
      : undefined;
    const packaged = await packagedBinaries();
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const manual = createPostgresServer({
      binDir: asRoot ? await binariesReachableByAll(packaged) : packaged.dir,
      ids,
      databaseDir: link,
      port,
      user: 'postgres',
      initdbFlags: [],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      log: silentLogger(),
    });
    await manual.start();
    const pid = await postmasterPid(databaseDir);
    try {
      const taken = await startEmbeddedPostgres(databaseDir, silentLogger());
      expect(portOf(taken.serverUrl)).toBe(String(port));
      expect(await postmasterPid(databaseDir)).toBe(pid);
      expect((await sql(taken.serverUrl, 'SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);

      // A lock file in another folder naming this live server (its pid, reused after a restart):
      // that server works in its own folder, so the file is stale there and goes, and the server
      // is left alone.
      const other = join(dataDir, 'other');
      await rm(other, { recursive: true, force: true });
      await import('node:fs/promises').then((fs) => fs.mkdir(other, { mode: 0o700 }));
      await writeFile(join(other, 'postmaster.pid'), `${pid}\n${link}\n0\n${port}\n`);
      const otherServer = await startEmbeddedPostgres(other, silentLogger());
      expect(portOf(otherServer.serverUrl)).not.toBe(String(port));
      await otherServer.stop();
      expect(isAlive(pid)).toBe(true);

      await taken.stop();
      expect(isAlive(pid)).toBe(false);
    } finally {
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      await manual.stop();
    }
  }, 120_000);
});

describe('two processes starting on a new data folder at once', () => {
  it('take turns: one initialises and starts it, the other joins', async () => {
    const dataDir = await tempDataDir('rw-race-');
    const databaseDir = join(dataDir, 'postgres');
    const owners = [startOwner(databaseDir), startOwner(databaseDir), startOwner(databaseDir)];
    try {
      const urls = await Promise.all(owners.map((owner) => owner.url()));
      expect(new Set(urls).size).toBe(1);
      const all = owners.flatMap((owner) => owner.lines);
      expect(all.filter((l) => l.includes('Embedded PostgreSQL started'))).toHaveLength(1);
      expect(all.filter((l) => l.includes('Joining embedded PostgreSQL'))).toHaveLength(2);
      expect((await sql(urls[0] as string, 'SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      for (const owner of owners) owner.child.stdin?.end('stop\n');
      expect(await Promise.all(owners.map((owner) => owner.exited))).toEqual([0, 0, 0]);
    } finally {
      for (const owner of owners) if (owner.child.exitCode === null) owner.child.kill('SIGKILL');
      await stopPostmastersOn(dataDir);
    }
  }, 150_000);
});

describe('a start-up that fails or is interrupted', () => {
  it('stops the embedded PostgreSQL when the database cannot be created', async () => {
    const dataDir = await tempDataDir('rw-ensure-');
    const databaseDir = join(dataDir, 'postgres');
    const server = await startEmbeddedPostgres(databaseDir, silentLogger());
    // The database riftwatch connects to to create its own refuses connections.
    await sql(server.serverUrl, 'ALTER DATABASE postgres ALLOW_CONNECTIONS false', 'template1');
    await server.stop();

    const run = await runUntilExit({ DATABASE_URL: undefined, DATA_DIR: dataDir, PORT: '0' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not currently accepting connections/);
    expect(run.stdout).toContain('Embedded PostgreSQL started');
    await waitFor(async () => postmastersOn(dataDir).length === 0, 10_000, 'no PostgreSQL');
  }, 90_000);

  it('Ctrl-C then SIGTERM while migrations wait on another session reaches the server it took over', async () => {
    const dataDir = await tempDataDir('rw-migrate-lock-');
    const databaseDir = join(dataDir, 'postgres');
    // A server left by a riftwatch killed outright, with a session holding the migration lock.
    const owner = startOwner(databaseDir);
    const serverUrl = await owner.url();
    await sql(serverUrl, 'CREATE DATABASE riftwatch');
    const holder = new pg.Client({ connectionString: `${serverUrl}/riftwatch` });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(72707369)');
      owner.child.kill('SIGKILL');
      await owner.exited;

      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        env: { ...process.env, DATABASE_URL: undefined, DATA_DIR: dataDir, PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      const lines: string[] = [];
      createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      await waitFor(
        async () =>
          (
            await holder.query(
              `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = 'riftwatch'`,
            )
          ).rowCount,
        60_000,
        'riftwatch waiting on the migration lock',
      );
      child.kill('SIGINT');
      await new Promise((r) => setTimeout(r, 300));
      child.kill('SIGTERM');
      expect(await exited).toBe(1);
      expect(lines.some((l) => l.includes('taken over'))).toBe(true);
      // Its stop ran: with this session still connected, it is left running for it (its own,
      // waiting on the lock, does not count).
      const left = lines
        .map((l) => JSON.parse(l) as { msg?: string; sessions?: number })
        .find((l) => l.msg?.startsWith('Embedded PostgreSQL left running for the other sessions'));
      expect(left?.sessions).toBe(1);
    } finally {
      await holder.end().catch(() => {});
      await stopPostmastersOn(dataDir);
    }
  }, 120_000);
});
