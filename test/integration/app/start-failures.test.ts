import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { type Exited, runUntilExit } from '../../helpers/process.ts';

/** stderr holds exactly one line, and no stack frame anywhere. */
function oneLine(run: Exited): string {
  const lines = run.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(lines, run.stderr).toHaveLength(1);
  expect(`${run.stdout}${run.stderr}`).not.toMatch(/\n\s+at /);
  return lines[0] ?? '';
}

// A start that cannot succeed says why in one line on stderr and exits 1.
describe('a failed start', () => {
  let db: TestDatabase;
  let occupied: Server;
  let occupiedPort: number;
  beforeAll(async () => {
    db = await createTestDatabase();
    occupied = createServer();
    await new Promise<void>((resolve) => occupied.listen(0, '0.0.0.0', resolve));
    occupiedPort = (occupied.address() as { port: number }).port;
  });
  afterAll(async () => {
    occupied.close();
    await db.drop();
  });

  it('names the port in use, and leaves nothing running', async () => {
    const run = await runUntilExit({
      DATABASE_URL: db.url,
      PORT: String(occupiedPort),
      RIOT_API_BASE_URL: 'http://127.0.0.1:9/{routing}',
    });
    expect(run.code).toBe(1);
    expect(oneLine(run)).toBe(
      `PORT ${occupiedPort} is already in use: stop the process listening on it, or set PORT to a free port`,
    );
    // The port is taken before the job engine starts: no job ran, no liveness lock was taken.
    expect(run.stdout).not.toContain('"Job engine started"');
    const { rows } = await db.sql(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'riftwatch-worker%'`,
    );
    expect(rows[0]?.n).toBe(0);
  });

  it.each([
    ['127.0.0.1', '127.0.0.1:1', /connect ECONNREFUSED 127\.0\.0\.1:1$/],
    ['localhost', 'localhost:1', /connect ECONNREFUSED (127\.0\.0\.1|::1):1$/],
  ])('names the unreachable PostgreSQL at %s without its password', async (host, where, reason) => {
    const run = await runUntilExit({
      DATABASE_URL: `postgresql://riot_api_user:s3cr3t-pw@${host}:1/riot_api_db`,
      PORT: '0',
    });
    expect(run.code).toBe(1);
    const line = oneLine(run);
    expect(line).toMatch(
      new RegExp(`^Cannot connect to PostgreSQL at ${where} \\(DATABASE_URL\\): \\S`),
    );
    expect(line).toMatch(reason);
    expect(`${run.stdout}${run.stderr}`).not.toContain('s3cr3t-pw');
  });

  // Riftwatch's own database is up: what fails is the next server a variable points at.
  const upToTheJobStore = () => ({
    DATABASE_URL: db.url,
    PORT: '0',
    RIOT_API_BASE_URL: 'http://127.0.0.1:9/{routing}',
  });

  it('names the unreachable MongoDB job store without its password', async () => {
    const run = await runUntilExit({
      ...upToTheJobStore(),
      // Within half a second rather than the 5 s start-up default.
      JOB_STORE_URL: 'mongodb://rw:s3cr3t-pw@127.0.0.1:1/rw?serverSelectionTimeoutMS=500',
    });
    expect(run.code).toBe(1);
    expect(oneLine(run)).toMatch(
      /^Cannot connect to MongoDB at 127\.0\.0\.1:1 \(JOB_STORE_URL\): .*ECONNREFUSED 127\.0\.0\.1:1/,
    );
    expect(`${run.stdout}${run.stderr}`).not.toContain('s3cr3t-pw');
  });

  it('names the unreachable PostgreSQL job store and its variable', async () => {
    const run = await runUntilExit({
      ...upToTheJobStore(),
      JOB_STORE_URL: 'postgres://rw:s3cr3t-pw@127.0.0.1:1/x',
    });
    expect(run.code).toBe(1);
    expect(oneLine(run)).toBe(
      'Cannot connect to PostgreSQL at 127.0.0.1:1 (JOB_STORE_URL): connect ECONNREFUSED 127.0.0.1:1',
    );
    expect(`${run.stdout}${run.stderr}`).not.toContain('s3cr3t-pw');
  });

  it('names REDIS_URL when Redis cannot be reached', async () => {
    const run = await runUntilExit({ ...upToTheJobStore(), REDIS_URL: 'redis://127.0.0.1:1' });
    expect(run.code).toBe(1);
    expect(oneLine(run)).toMatch(/could not connect to Redis at 127\.0\.0\.1:1 \(REDIS_URL\): \S/);
  });

  it('names a DATA_DIR that is a file', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'rw-start-'));
    const file = join(folder, 'not-a-folder');
    await writeFile(file, '');
    try {
      // No DATABASE_URL: the embedded PostgreSQL would keep its data in DATA_DIR.
      const run = await runUntilExit({ DATABASE_URL: undefined, DATA_DIR: file, PORT: '0' });
      expect(run.code).toBe(1);
      expect(oneLine(run)).toBe(`DATA_DIR "${file}" is not a directory`);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('names a URL that does not parse, without its password, before anything starts', async () => {
    const run = await runUntilExit({
      DATABASE_URL: db.url,
      REDIS_URL: 'redis://:s3cr3t-pw@cache:abc',
    });
    expect(run.code).toBe(1);
    expect(oneLine(run)).toMatch(
      /^Invalid configuration: REDIS_URL="redis:\/\/:\*\*\*@cache:abc": /,
    );
    expect(run.stdout).not.toContain('Database migrated');
    expect(`${run.stdout}${run.stderr}`).not.toContain('s3cr3t-pw');
  });

  it('names a bad variable and the form it expects', async () => {
    const run = await runUntilExit({
      DATABASE_URL: db.url,
      JOB_TIMEOUT_SECONDS: 'abc',
      LOG_FORMAT: 'fancy',
    });
    expect(run.code).toBe(1);
    expect(oneLine(run)).toBe(
      'Invalid configuration: JOB_TIMEOUT_SECONDS="abc": expected a whole number >= 1 and <= 86400; LOG_FORMAT="fancy": expected one of auto, json, pretty',
    );
  });
});

// `npm run simulator` says what is wrong in one line too.
describe('a failed simulator start', () => {
  const simulator = {
    command: [process.execPath, '--import', 'tsx', 'src/riot/simulator/main.ts'],
  };

  it('names every bad SIMULATOR_ variable and the form it expects', async () => {
    const run = await runUntilExit(
      {
        SIMULATOR_PORT: 'abc',
        SIMULATOR_HOST: 'a b',
        SIMULATOR_SEED: '-1',
        SIMULATOR_TIME_SCALE: '0',
      },
      20_000,
      simulator,
    );
    expect(run.code).toBe(1);
    expect(oneLine(run)).toBe(
      'Invalid configuration: SIMULATOR_PORT="abc": expected a whole number <= 65535; SIMULATOR_HOST="a b": expected a host name or IP address; SIMULATOR_SEED="-1": expected a whole number; SIMULATOR_TIME_SCALE="0": expected a number > 0, e.g. 0.01',
    );
  });

  it('names SIMULATOR_PORT when the port is in use', async () => {
    const occupied = createServer();
    await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
    const { port } = occupied.address() as { port: number };
    try {
      const run = await runUntilExit({ SIMULATOR_PORT: String(port) }, 20_000, simulator);
      expect(run.code).toBe(1);
      expect(oneLine(run)).toBe(
        `SIMULATOR_PORT ${port} is already in use: stop the process listening on it, or set SIMULATOR_PORT to a free port`,
      );
    } finally {
      occupied.close();
    }
  });
});
