import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../../src/db/embedded.ts';
import { silentLogger } from '../../../src/logger.ts';
import { isAlive } from '../../helpers/process.ts';
import { waitFor } from '../../helpers/wait.ts';
import { startOwner } from './fixtures/owner-process.ts';

describe('embedded PostgreSQL shared by two processes', () => {
  it('its owner stopping leaves it to a process that joined, which the next start takes over', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'rw-embedded-'));
    // As root the postgres user must reach the data folder (else it moves to /var/lib/riftwatch).
    await chmod(dataDir, 0o755);
    const databaseDir = join(dataDir, 'postgres');
    const { child: owner, lines, exited } = startOwner(databaseDir);
    let client: pg.Client | undefined;
    let postmaster = 0;
    try {
      await waitFor(async () => lines.some((l) => l.includes('serverUrl')), 60_000, 'the owner');
      postmaster = Number(
        (await readFile(join(databaseDir, 'postmaster.pid'), 'utf8')).split('\n')[0],
      );

      const joined = await startEmbeddedPostgres(databaseDir, silentLogger());
      client = new pg.Client({ connectionString: `${joined.serverUrl}/postgres` });
      await client.connect();
      owner.stdin.end('stop\n');
      // The owner exits by itself: the server it leaves running does not keep it alive.
      expect(await exited).toBe(0);
      expect(lines.some((l) => l.includes('left running for the other sessions'))).toBe(true);
      await expect(client.query('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
      await joined.stop();
      await client.end();

      const next = await startEmbeddedPostgres(databaseDir, silentLogger());
      expect(next.serverUrl).toBe(joined.serverUrl);
      await next.stop();
      // Ended at once; reaped by its parent (init: its starter has exited) soon after.
      await waitFor(async () => !isAlive(postmaster), 10_000, 'the server to be gone');
    } finally {
      if (owner.exitCode === null) owner.kill('SIGKILL');
      if (postmaster && isAlive(postmaster)) process.kill(postmaster, 'SIGKILL');
      await client?.end().catch(() => {});
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('a process that joined stops it when it is the last one and its owner has gone', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'rw-embedded-'));
    await chmod(dataDir, 0o755);
    const databaseDir = join(dataDir, 'postgres');
    const { child: owner, lines, exited } = startOwner(databaseDir);
    let postmaster = 0;
    try {
      await waitFor(async () => lines.some((l) => l.includes('serverUrl')), 60_000, 'the owner');
      postmaster = Number(
        (await readFile(join(databaseDir, 'postmaster.pid'), 'utf8')).split('\n')[0],
      );
      // As `npm start` joins the server `npm run db:migrate` started.
      const joined = await startEmbeddedPostgres(databaseDir, silentLogger());
      const client = new pg.Client({ connectionString: `${joined.serverUrl}/postgres` });
      await client.connect();
      owner.stdin.end('stop\n');
      expect(await exited).toBe(0);
      // Left running by its owner for the joined process's session.
      await expect(client.query('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
      await client.end();
      await joined.stop();
      await waitFor(async () => !isAlive(postmaster), 30_000, 'the server to stop');
    } finally {
      if (owner.exitCode === null) owner.kill('SIGKILL');
      if (postmaster && isAlive(postmaster)) process.kill(postmaster, 'SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
