import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_CLASS } from '../../../src/db/advisory-locks.ts';
import { createHandlerLocks, LOCK_QUERY_MS } from '../../../src/jobs/engine/handler-locks.ts';
import { silentLogger } from '../../../src/logger.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

let db: TestDatabase;
const clients: pg.Client[] = [];

async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: db.url });
  client.on('error', () => {});
  await client.connect();
  clients.push(client);
  return client;
}

/** Whether another session can take configuration `id`'s handler lock (it gives it back). */
async function freeElsewhere(id: number): Promise<boolean> {
  const { rows } = await db.sql<{ free: boolean }>(
    `SELECT CASE WHEN pg_try_advisory_lock($1::int, $2::int)
       THEN pg_advisory_unlock($1::int, $2::int) ELSE false END AS free`,
    [LOCK_CLASS.handler, id],
  );
  return rows[0]?.free === true;
}

/** The locks on a session, as the engine's listener hands it over: up once attached. */
async function lockedOn(session: pg.Client | null) {
  let current = session;
  const locks = createHandlerLocks({ session: () => current, logger: silentLogger() });
  if (session) await locks.attach(session);
  return { locks, set: (next: pg.Client | null) => (current = next) };
}

beforeAll(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.end().catch(() => {})));
});
afterAll(async () => {
  await db.drop();
});

describe('handler locks', () => {
  it('keep a configuration from other sessions from take to release', async () => {
    const { locks } = await lockedOn(await connect());
    expect(await locks.take(7)).toBe('taken');
    expect(await freeElsewhere(7)).toBe(false);
    expect(await freeElsewhere(8)).toBe(true);
    await locks.release(7);
    expect(await freeElsewhere(7)).toBe(true);
  });

  it('are counted: two takes need two releases', async () => {
    const { locks } = await lockedOn(await connect());
    expect(await locks.take(7)).toBe('taken');
    expect(await locks.take(7)).toBe('taken');
    await locks.release(7);
    expect(await freeElsewhere(7)).toBe(false);
    await locks.release(7);
    expect(await freeElsewhere(7)).toBe(true);
    // One release too many changes nothing.
    await locks.release(7);
    expect(await locks.take(7)).toBe('taken');
    expect(await freeElsewhere(7)).toBe(false);
  });

  it('say held-elsewhere when another session holds the lock', async () => {
    const { locks: first } = await lockedOn(await connect());
    const { locks: second } = await lockedOn(await connect());
    expect(await first.take(7)).toBe('taken');
    expect(await second.take(7)).toBe('held-elsewhere');
    await first.release(7);
    expect(await second.take(7)).toBe('taken');
  });

  it('say no-session while the session is down, and take nothing', async () => {
    const { locks } = await lockedOn(null);
    expect(await locks.take(7)).toBe('no-session');
    expect(await freeElsewhere(7)).toBe(true);
  });

  it('are taken again on a new session after the old one was lost', async () => {
    const old = await connect();
    const { locks, set } = await lockedOn(old);
    expect(await locks.take(7)).toBe('taken');
    expect(await locks.take(7)).toBe('taken');
    await old.end();
    set(null);
    expect(await freeElsewhere(7)).toBe(true);
    const next = await connect();
    await locks.attach(next);
    set(next);
    expect(await freeElsewhere(7)).toBe(false);
    await locks.release(7);
    expect(await freeElsewhere(7)).toBe(false);
    await locks.release(7);
    expect(await freeElsewhere(7)).toBe(true);
  });

  it('a release while a new session takes the locks again leaves the counts right', async () => {
    const old = await connect();
    const { locks, set } = await lockedOn(old);
    expect(await locks.take(7)).toBe('taken');
    expect(await locks.take(7)).toBe('taken');
    await old.end();
    set(null);
    const next = await connect();
    // Both in flight at once.
    await Promise.all([locks.attach(next), locks.release(7)]);
    set(next);
    expect(await freeElsewhere(7)).toBe(false);
    await locks.release(7);
    expect(await freeElsewhere(7)).toBe(true);
  });

  it('do not end a session whose answer waits while the event loop was held up', async () => {
    const session = await connect();
    const { locks } = await lockedOn(session);
    const taking = locks.take(7);
    // Synchronous work past the timeout: the answer arrives meanwhile, unread.
    const until = Date.now() + LOCK_QUERY_MS + 500;
    while (Date.now() < until) {}
    expect(await taking).toBe('taken');
    await expect(session.query('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
  });

  it('end a session that does not answer, and say no-session', async () => {
    const session = await connect();
    const { locks } = await lockedOn(session);
    // The session is busy for longer than a lock query may take.
    const busy = session.query('SELECT pg_sleep(30)').catch(() => {});
    const started = Date.now();
    expect(await locks.take(7)).toBe('no-session');
    expect(Date.now() - started).toBeLessThan(LOCK_QUERY_MS + 3000);
    await busy;
    await expect(session.query('SELECT 1')).rejects.toThrow();
  });
});
