import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  createWorkerId,
  isDeadLocalWorker,
  parseWorkerId,
  registerLiveWorker,
} from '../../../src/jobs/worker-id.ts';

const own = createWorkerId();
const space = parseWorkerId(own)?.host as string;

describe('worker ids', () => {
  it('name the pid namespace next to the host name (Linux)', () => {
    expect(own).toMatch(new RegExp(`^${hostname()}/\\d+:${process.pid}:[0-9a-f]{8}$`));
  });

  it('a live engine of this process is not dead; an unregistered id with our pid is', () => {
    const unregister = registerLiveWorker(own);
    expect(isDeadLocalWorker(own)).toBe(false);
    unregister();
    expect(isDeadLocalWorker(own)).toBe(true); // a restarted container reusing the pid
  });

  it('judges other pids of this pid space by whether they exist', () => {
    expect(isDeadLocalWorker(`${space}:${process.ppid}:00000000`)).toBe(false);
    expect(isDeadLocalWorker(`${space}:4194303:00000000`)).toBe(true);
  });

  it('leaves alone a worker with our host name in another pid space, even with our pid', () => {
    expect(isDeadLocalWorker(`${hostname()}:${process.pid}:00000000`)).toBe(false);
    expect(isDeadLocalWorker(`${hostname()}/1:${process.pid}:00000000`)).toBe(false);
  });
});
