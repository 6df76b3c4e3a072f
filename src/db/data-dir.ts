import { constants, existsSync, statSync } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { reasonOf, StartupError } from '../startup-error.ts';

/**
 * Creates DATA_DIR when missing. Fails with one line naming DATA_DIR when it is not a folder
 * riftwatch can write to, rather than with the embedded PostgreSQL's mkdir error on a path
 * below it.
 */
export async function prepareDataDir(dataDir: string): Promise<void> {
  const shown = `DATA_DIR ${JSON.stringify(dataDir)}`;
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (error) {
    throw new StartupError(`${shown} ${creationProblem(dataDir, error)}`, { cause: error });
  }
  try {
    await access(dataDir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new StartupError(
      `${shown} is not writable (${reasonOf(error)}): set DATA_DIR to a folder riftwatch may write to`,
      { cause: error },
    );
  }
}

function creationProblem(dataDir: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EEXIST' || code === 'ENOTDIR') {
    const file = existingFileOnPath(resolve(dataDir));
    if (file === resolve(dataDir)) return 'is not a directory';
    if (file) return `cannot be created: ${file} is not a directory`;
  }
  return `cannot be created (${reasonOf(error)}): set DATA_DIR to a folder riftwatch may write to`;
}

/** The path itself or its nearest existing ancestor, when that is not a directory. */
function existingFileOnPath(path: string): string | undefined {
  for (let current = path; ; current = dirname(current)) {
    if (existsSync(current)) return statSync(current).isDirectory() ? undefined : current;
    if (current === dirname(current)) return undefined;
  }
}
