import { readFile } from 'node:fs/promises';

/** The pid on the first line of `file`; null when there is none. */
export async function readPid(file: string): Promise<number | null> {
  const pid = Number((await readFile(file, 'utf8').catch(() => '')).split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's (as the postgres user's server is to a normal user).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
