import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { preparedStatements } from '../../../src/db/prepared-statements.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

let db: TestDatabase;
let client: pg.Client;
beforeAll(async () => {
  db = await createTestDatabase();
  client = new pg.Client(db.url);
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await db?.drop();
});

/** The statements this session holds prepared, by text. */
async function prepared(): Promise<Map<string, string>> {
  const { rows } = await client.query('SELECT name, statement FROM pg_prepared_statements');
  return new Map(rows.map((row) => [row.statement, row.name]));
}

test('each text is prepared once, under a name of its own, and reads the same rows', async () => {
  const sql = preparedStatements(client);
  const text = 'SELECT n, n * $2::int AS m FROM generate_series(1, $1::int) n';
  const { rows } = await sql.query(text, [3, 10]);
  expect(rows).toEqual([
    { n: 1, m: 10 },
    { n: 2, m: 20 },
    { n: 3, m: 30 },
  ]);
  await sql.query(text, [1, 2]);
  const arrays = await sql.query({
    text: 'SELECT 1 AS one, $1::text AS two',
    values: ['2'],
    rowMode: 'array',
  });
  expect(arrays.rows).toEqual([[1, '2']]);

  const names = await prepared();
  expect(names.get(text)).toMatch(/^rw_/);
  expect(names.get('SELECT 1 AS one, $1::text AS two')).toMatch(/^rw_/);
  expect(names.size).toBe(2);

  // Another reader on the same connection reuses the name of a text it shares, and gives its
  // own texts other names (pg refuses one name for two texts).
  const other = preparedStatements(client);
  expect((await other.query(text, [2, 1])).rows).toHaveLength(2);
  await other.query('SELECT $1::int + 1 AS n', [1]);
  expect((await prepared()).size).toBe(3);
});

test('texts beyond the first 200 are sent unnamed: the prepared ones stay bounded', async () => {
  await client.query('DEALLOCATE ALL');
  const sql = preparedStatements(client);
  for (let i = 0; i < 250; i++) {
    const { rows } = await sql.query(`SELECT ${i} AS i, $1::int AS n`, [i]);
    expect(rows).toEqual([{ i, n: i }]);
  }
  expect((await prepared()).size).toBe(200);
  // A named text keeps being read through its name.
  expect((await sql.query('SELECT 7 AS i, $1::int AS n', [1])).rows).toEqual([{ i: 7, n: 1 }]);
  expect((await prepared()).size).toBe(200);
});
