import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createEmptyDatabase } from '../../helpers/database.ts';
import { runUntilExit } from '../../helpers/process.ts';

// `npm run db:migrate`, run from a directory of its own so that its .env is the test's.
const MIGRATE = [
  process.execPath,
  '--import',
  createRequire(import.meta.url).resolve('tsx'),
  fileURLToPath(new URL('../../../src/db/migrate-cli.ts', import.meta.url)),
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rw-migrate-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the migration in `dir` with `.env` holding `dotenv`; no logging settings inherited. */
async function migrateWith(env: Record<string, string | undefined>, dotenv = '') {
  await writeFile(join(dir, '.env'), dotenv);
  return runUntilExit({ LOG_LEVEL: undefined, LOG_FORMAT: undefined, ...env }, 60_000, {
    cwd: dir,
    command: MIGRATE,
  });
}

test('a bad configuration is one line on stderr, as npm start prints it; exit 1', async () => {
  const levels = 'expected one of fatal, error, warn, info, debug, trace, silent';
  for (const r of [
    await migrateWith({ LOG_LEVEL: 'verbose' }),
    await migrateWith({}, 'LOG_LEVEL=verbose\n'),
  ]) {
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe(`Invalid configuration: LOG_LEVEL="verbose": ${levels}\n`);
  }
  const url = await migrateWith({ DATABASE_URL: 'postgresql+asyncpg://riot:S3cretPass@db/riot' });
  expect(url.code).toBe(1);
  expect(url.stderr).toBe(
    'Invalid configuration: DATABASE_URL="postgresql+asyncpg://riot:***@db/riot": expected a postgres:// or postgresql:// URL\n',
  );
});

test('LOG_LEVEL from .env sets what it logs', async () => {
  const db = await createEmptyDatabase();
  try {
    const quiet = await migrateWith({ DATABASE_URL: db.url }, 'LOG_LEVEL=warn\n');
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toContain('Migrations complete');
    const info = await migrateWith({ DATABASE_URL: db.url }, 'LOG_LEVEL=info\n');
    expect(info.code).toBe(0);
    expect(info.stdout).toContain('"msg":"Migrations complete"');
  } finally {
    await db.drop();
  }
});
