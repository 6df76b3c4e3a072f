import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareDataDir } from '../../../src/db/data-dir.ts';
import { StartupError } from '../../../src/startup-error.ts';

describe('prepareDataDir', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'rw-data-dir-'));
  });
  afterEach(async () => {
    await chmod(root, 0o700);
    await rm(root, { recursive: true, force: true });
  });

  it('creates a missing folder, parents included', async () => {
    const dir = join(root, 'a', 'b');
    await prepareDataDir(dir);
    expect((await stat(dir)).isDirectory()).toBe(true);
  });

  it('names DATA_DIR when it is a file', async () => {
    const file = join(root, 'file');
    await writeFile(file, '');
    const failure = prepareDataDir(file);
    await expect(failure).rejects.toBeInstanceOf(StartupError);
    await expect(failure).rejects.toThrow(`DATA_DIR "${file}" is not a directory`);
  });

  it('names the file in the way of a DATA_DIR below it', async () => {
    const file = join(root, 'file');
    await writeFile(file, '');
    await expect(prepareDataDir(join(file, 'data'))).rejects.toThrow(
      `DATA_DIR "${join(file, 'data')}" cannot be created: ${file} is not a directory`,
    );
  });

  // Root may write anywhere: the permission cases need another user.
  it.skipIf(process.getuid?.() === 0)('names DATA_DIR when it cannot be created', async () => {
    await chmod(root, 0o500);
    await expect(prepareDataDir(join(root, 'data'))).rejects.toThrow(
      `DATA_DIR "${join(root, 'data')}" cannot be created (EACCES: permission denied, mkdir`,
    );
  });

  it.skipIf(process.getuid?.() === 0)('names DATA_DIR when it is not writable', async () => {
    await chmod(root, 0o500);
    await expect(prepareDataDir(root)).rejects.toThrow(`DATA_DIR "${root}" is not writable`);
  });
});
