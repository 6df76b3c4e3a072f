import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Where pids mean something: the host name plus, on Linux, the pid namespace. Containers can
 * share a host name (host networking, a fixed `hostname:`) while each has its own pids; without
 * the namespace, one would take the other's live pid 1 for its own dead predecessor.
 */
const PID_SPACE = (() => {
  try {
    const ns = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1];
    return ns ? `${hostname()}/${ns}` : hostname();
  } catch {
    return hostname();
  }
})();

/** `host:pid:random`: the host (pid space) and pid let a restarted process recognise its dead
 * predecessors; the random part tells a restarted container (same host, same pid) from itself. */
export function createWorkerId(): string {
  return `${PID_SPACE}:${process.pid}:${randomBytes(4).toString('hex')}`;
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
  if (!parsed || parsed.host !== PID_SPACE) return false;
  if (parsed.pid === process.pid) return true;
  try {
    process.kill(parsed.pid, 0);
    return false;
  } catch (error) {
    // EPERM: the pid exists but belongs to someone else; only ESRCH proves it is gone.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
