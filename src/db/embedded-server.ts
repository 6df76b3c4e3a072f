import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmod, chown, mkdir, rm, writeFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../logger.ts';
import { StartupError } from '../startup-error.ts';

const run = promisify(execFile);
const READY = 'database system is ready to accept connections';

export type PostgresIds = { uid: number; gid: number };

/** The `postgres` system user PostgreSQL runs as when riftwatch is root, created if missing. */
export async function postgresUser(logger: Logger): Promise<PostgresIds> {
  const ids = async () => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    logger.info('Creating the postgres system user: PostgreSQL refuses to run as root');
    await run('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']).catch(
      (error: unknown) => {
        throw new StartupError(
          `PostgreSQL cannot run as root and no postgres user could be created (useradd): ${(error as Error).message}`,
        );
      },
    );
    return ids();
  }
}

export type ServerOptions = {
  /** PostgreSQL's bin/, lib/ and share/, reachable by the user it runs as. */
  binDir: string;
  databaseDir: string;
  port: number;
  user: string;
  initdbFlags: string[];
  postgresFlags: string[];
  /** The user to run as (root must not run PostgreSQL); unset: this process's user. */
  ids?: PostgresIds;
  log: Logger;
};

/** Where initdb's password waits beside the data folder until it is stored inside it. */
export const initdbPasswordFile = (databaseDir: string) => `${databaseDir}.initdb-password`;

/**
 * initdb and postgres from `binDir`. The server gets its own process group, so a terminal's
 * Ctrl-C reaches riftwatch only: riftwatch stops the server last, after its jobs have drained
 * (in the terminal's group, PostgreSQL would shut down first, under the running jobs).
 */
export function createPostgresServer(options: ServerOptions) {
  const { binDir, databaseDir, ids, log } = options;
  const spawnOptions = { ...ids, cwd: '/', env: { ...process.env, LC_MESSAGES: 'C' } };
  const own = async (path: string) => {
    if (ids) await chown(path, ids.uid, ids.gid);
  };
  let server: ChildProcess | undefined;

  return {
    /**
     * initdb with `password` for the superuser (scram-sha-256 over TCP), which `keep` then stores
     * in the new data folder (initdb wants it empty before). Until then the password stays in
     * `<dir>.initdb-password` beside it: a start killed in between still finds it there.
     */
    async initialise(password: string, keep: (password: string) => Promise<void>): Promise<void> {
      await mkdir(databaseDir, { recursive: true });
      await own(databaseDir);
      await chmod(databaseDir, 0o700);
      // Beside the data folder, whose ancestors the server's user can search.
      const passwordFile = initdbPasswordFile(databaseDir);
      await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
      await own(passwordFile);
      try {
        const initdb = spawn(
          join(binDir, 'bin', 'initdb'),
          [
            `--pgdata=${databaseDir}`,
            '--auth=scram-sha-256',
            `--username=${options.user}`,
            `--pwfile=${passwordFile}`,
            ...options.initdbFlags,
          ],
          spawnOptions,
        );
        const output = collect(initdb, log);
        const code = await new Promise<number | null>((resolve, reject) => {
          initdb.once('error', reject);
          initdb.once('close', resolve);
        });
        if (code !== 0) throw new Error(`initdb exited with ${code}: ${output().trim()}`);
      } catch (error) {
        await rm(passwordFile, { force: true });
        throw error;
      }
      // Removed only once kept: until then it is the only record of the cluster's password.
      await keep(password);
      await rm(passwordFile, { force: true });
    },

    start(): Promise<void> {
      const child = spawn(
        join(binDir, 'bin', 'postgres'),
        ['-D', databaseDir, '-p', String(options.port), ...options.postgresFlags],
        { ...spawnOptions, detached: true },
      );
      server = child;
      const output = collect(child, log);
      return new Promise((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          if (!chunk.toString('utf8').includes(READY)) return;
          child.stderr?.off('data', onData);
          child.off('exit', onExit);
          resolve();
        };
        const onExit = (code: number | null) => {
          server = undefined;
          reject(
            new Error(
              `postgres exited with ${code} before accepting connections: ${output().trim()}`,
            ),
          );
        };
        child.stderr?.on('data', onData);
        child.once('exit', onExit);
        child.once('error', reject);
      });
    },

    /** Leaves the server running past this process: it no longer keeps this process alive. */
    release(): void {
      const child = server;
      server = undefined;
      for (const stream of [child?.stdout, child?.stderr]) (stream as Socket | null)?.unref();
      child?.unref();
    },

    /** Fast shutdown (SIGINT): sessions end, the data is consistent on disk. */
    async stop(): Promise<void> {
      const child = server;
      server = undefined;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      });
    },
  };
}

/** Sends the child's output to the log at trace level and keeps its tail for error messages. */
function collect(child: ChildProcess, log: Logger): () => string {
  let tail = '';
  const take = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    log.trace(text.trim());
    tail = (tail + text).slice(-2000);
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  return () => tail;
}
