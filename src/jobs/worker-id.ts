import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** `hostname:pid:random`: the host and pid let a restarted process recognise its dead
 * predecessors; the random part tells a restarted container (same host, same pid) from itself. */
export function createWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export function parseWorkerId(workerId: string): { host: string; pid: number } | null {
  const match = /^(.*):(\d+):[0-9a-f]+$/.exec(workerId);
  if (!match?.[1] || !match[2]) return null;
  return { host: match[1], pid: Number(match[2]) };
}

/**
 * Whether another worker on this host is certainly dead: its pid is gone, or it is our own pid
 * (a restarted container reuses it) under a different worker id.
 */
export function isDeadLocalWorker(workerId: string, ownWorkerId: string): boolean {
  if (workerId === ownWorkerId) return false;
  const parsed = parseWorkerId(workerId);
  if (!parsed || parsed.host !== hostname()) return false;
  if (parsed.pid === process.pid) return true;
  try {
    process.kill(parsed.pid, 0);
    return false;
  } catch (error) {
    // EPERM: the pid exists but belongs to someone else; only ESRCH proves it is gone.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
