import { afterAll, beforeAll, expect, test } from 'vitest';
import { createPool } from '../../../src/db/prisma.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const settings = { poolSize: 0, maxOverflow: 1 };

test('sessions run in UTC, even on a database set to another time zone', async () => {
  await db.sql(`ALTER DATABASE ${db.name} SET timezone TO 'America/St_Johns'`);
  const pool = createPool(db.url, settings);
  try {
    const { rows } = await pool.query('SHOW timezone');
    expect(rows[0]?.TimeZone).toBe('UTC');
  } finally {
    await pool.end();
    await db.sql(`ALTER DATABASE ${db.name} RESET timezone`);
  }
});

test('options given in DATABASE_URL are kept beside it', async () => {
  const pool = createPool(`${db.url}?options=-c%20statement_timeout%3D12345`, settings);
  try {
    expect((await pool.query('SHOW statement_timeout')).rows[0]?.statement_timeout).toBe('12345ms');
    expect((await pool.query('SHOW timezone')).rows[0]?.TimeZone).toBe('UTC');
  } finally {
    await pool.end();
  }
});
