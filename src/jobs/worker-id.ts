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

/** Engines alive in this process (tests and tools may run several in one process). */
const liveInProcess = new Set<string>();

export function registerLiveWorker(workerId: string): () => void {
  liveInProcess.add(workerId);
  return () => liveInProcess.delete(workerId);
}

/**
 * Whether another worker on this host is certainly dead: its pid is gone, or it has our own pid
 * (a restarted container reuses it) without being one of this process's live engines.
 */
export function isDeadLocalWorker(workerId: string): boolean {
  if (liveInProcess.has(workerId)) return false;
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
