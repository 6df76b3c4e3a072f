import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withStartLock } from '../../../src/db/start-lock.ts';
import { silentLogger } from '../../../src/logger.ts';

const dirs: string[] = [];
const lockIn = () => {
  const dir = mkdtempSync(join(tmpdir(), 'rw-start-lock-'));
  dirs.push(dir);
  return join(dir, 'postgres.start-lock');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the embedded PostgreSQL start lock', () => {
  it('runs its starts one at a time within a process, and removes the lock after', async () => {
    const lock = lockIn();
    const order: string[] = [];
    const step = (name: string) => async () => {
      order.push(`${name} in`);
      await new Promise((r) => setTimeout(r, 30));
      order.push(`${name} out`);
    };
    await Promise.all([
      withStartLock(lock, silentLogger(), step('a')),
      withStartLock(lock, silentLogger(), step('b')),
    ]);
    expect(order).toEqual(['a in', 'a out', 'b in', 'b out']);
    expect(existsSync(lock)).toBe(false);
  });

  it('breaks a lock left by a dead process', async () => {
    const lock = lockIn();
    // Beyond any pid the kernel hands out.
    writeFileSync(lock, '2147483646\n');
    await expect(withStartLock(lock, silentLogger(), async () => 'ran', 2000)).resolves.toBe('ran');
  });

  it("breaks a lock naming this process's pid: left by an earlier process with the same pid", async () => {
    const lock = lockIn();
    writeFileSync(lock, `${process.pid}\n`);
    await expect(withStartLock(lock, silentLogger(), async () => 'ran', 2000)).resolves.toBe('ran');
  });

  it('waits for a live holder, and says so when it gives up', async () => {
    const lock = lockIn();
    // pid 1 is alive on any machine.
    writeFileSync(lock, '1\n');
    await expect(withStartLock(lock, silentLogger(), async () => 'ran', 300)).rejects.toThrow(
      /held by pid 1/,
    );
    expect(existsSync(lock)).toBe(true);
  });
});
