import { randomBytes } from 'node:crypto';
import { link, rm, stat, writeFile } from 'node:fs/promises';
import type { Logger } from '../logger.ts';
import { StartupError } from '../startup-error.ts';
import { isAlive, readPid } from './pids.ts';

/** Starts within this process wait for each other here; other processes, on the lock file. */
const inProcess = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` holding an exclusive lock shared by every process on this machine: the file
 * `lockPath`, made atomically (a file holding this pid, hard-linked to the lock's name, which
 * fails when it exists). A lock whose pid is dead (a process killed while starting) is broken.
 */
export async function withStartLock<T>(
  lockPath: string,
  logger: Logger,
  fn: () => Promise<T>,
  timeoutMs = 180_000,
): Promise<T> {
  const before = inProcess.get(lockPath) ?? Promise.resolve();
  const run = before
    .catch(() => {})
    .then(async () => {
      const release = await acquire(lockPath, logger, timeoutMs);
      try {
        return await fn();
      } finally {
        await release();
      }
    });
  inProcess.set(lockPath, run);
  try {
    return await run;
  } finally {
    if (inProcess.get(lockPath) === run) inProcess.delete(lockPath);
  }
}

async function acquire(
  lockPath: string,
  logger: Logger,
  timeoutMs: number,
): Promise<() => Promise<void>> {
  const mine = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(mine, `${process.pid}\n`, { mode: 0o644 });
  try {
    const deadline = Date.now() + timeoutMs;
    let announced = false;
    for (;;) {
      try {
        await link(mine, lockPath);
        return async () => {
          if ((await readPid(lockPath)) === process.pid) await rm(lockPath, { force: true });
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = await readPid(lockPath);
      // This process waits for its own starts in `inProcess`: a lock naming its pid was left by
      // an earlier process that had the same pid (a container's pid 1, restarted).
      if (holder !== null && (holder === process.pid || !isAlive(holder))) {
        await breakStale(lockPath, holder, logger);
        continue;
      }
      if (Date.now() > deadline) {
        throw new StartupError(
          `The embedded PostgreSQL start lock ${lockPath} has been held by pid ${holder} for over ${Math.round(timeoutMs / 1000)} s: remove the file if that process is not a riftwatch`,
        );
      }
      if (!announced && holder !== null) {
        announced = true;
        logger.info(
          { lockPath, pid: holder },
          'Waiting for another process starting the embedded PostgreSQL',
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await rm(mine, { force: true });
  }
}

/**
 * Removes a lock left by the dead process `dead`, unless another process has meanwhile broken it
 * and taken the lock: breakers take turns on a second lock, and each checks the pid again there.
 */
async function breakStale(lockPath: string, dead: number, logger: Logger): Promise<void> {
  const breaker = `${lockPath}.break`;
  try {
    await writeFile(breaker, `${process.pid}\n`, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Its breaker was killed in the few instructions it holds it for.
    const since = await stat(breaker).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (since > 10_000) await rm(breaker, { force: true });
    else await new Promise((r) => setTimeout(r, 50));
    return;
  }
  try {
    if ((await readPid(lockPath)) === dead) {
      await rm(lockPath, { force: true });
      logger.warn({ lockPath, pid: dead }, 'Start lock of a process that died removed');
    }
  } finally {
    await rm(breaker, { force: true });
  }
}
