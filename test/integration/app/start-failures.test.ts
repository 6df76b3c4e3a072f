import { createServer, type Server } from 'node:net';
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
    // It stopped what it had started before failing: the job engine released its liveness lock.
    expect(run.stdout).toContain('"Job engine stopped"');
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
