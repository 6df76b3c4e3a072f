import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { errorCode, type Loose, startGraphQL, TOKEN } from './harness.ts';
import { HOSTILE, mutableState } from './hostile-cases.ts';
import { ALICE, seedPlayers } from './seed.ts';

let db: TestDatabase;
let g: Awaited<ReturnType<typeof startGraphQL>>;
beforeAll(async () => {
  db = await createTestDatabase();
  await seedPlayers(db);
  // No scheduled runs: the database must change only if a hostile request changes it.
  g = await startGraphQL(db, { schedulerEnabled: false });
  await db.sql(
    `INSERT INTO job_executions (job_config_id, status, trigger) VALUES (1, 'success', 'manual')`,
  );
});
afterAll(async () => {
  await g?.stop();
  await db?.drop();
});

const state = () => mutableState(db);

/** The typed code: a result union's `code`, or the top-level error's `extensions.code`. */
function codeOf(body: { data?: Record<string, Loose> | null; errors?: Loose[] }) {
  const top = errorCode(body);
  if (top) return top;
  const first = Object.values(body.data ?? {})[0] as { code?: string } | null;
  return first?.code;
}

test(`${HOSTILE.length} hostile inputs: each a typed error, nothing changed`, async () => {
  expect(HOSTILE.length).toBeGreaterThanOrEqual(30);
  const before = await state();
  const logged = g.logs.lines.length;
  const failures: string[] = [];
  for (const c of HOSTILE) {
    const response = await g.server.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: c.raw ?? JSON.stringify({ query: c.query, variables: c.variables ?? {} }),
    });
    const body = await response.json();
    const code = codeOf(body);
    if (code !== c.code)
      failures.push(`${c.name}: expected ${c.code}, got ${JSON.stringify(body)}`);
    if (c.status !== undefined && response.status !== c.status)
      failures.push(`${c.name}: expected HTTP ${c.status}, got ${response.status}`);
    // After each case, so a change is laid at the case that made it.
    if (JSON.stringify(await state()) !== JSON.stringify(before))
      failures.push(`${c.name}: changed the database`);
  }
  expect(failures).toEqual([]);
  // A refusal is the caller's doing: no error line, or any client could flood the error log.
  const errors = g.logs.lines.slice(logged).filter((l) => (l.level as number) >= 50);
  expect(errors.map((l) => JSON.stringify(l).slice(0, 200))).toEqual([]);
});

test('variables or extensions that are not JSON, in a query string or a form: 400 INVALID_INPUT', async () => {
  const logged = g.logs.lines.length;
  const query = encodeURIComponent('{ jobs { name } }');
  const requests: [string, RequestInit][] = [
    [`?query=${query}&variables=%7Bbad`, {}],
    [`?query=${query}&extensions=%7Bbad`, {}],
    [`?query=${query}&variables=%7Bbad`, { headers: { accept: 'text/event-stream' } }],
    [
      '',
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `query=${query}&variables=%7Bbad`,
      },
    ],
  ];
  for (const [search, init] of requests) {
    const response = await g.server.yoga.fetch(`http://localhost/graphql${search}`, init);
    const text = await response.text();
    expect({ search, status: response.status, text }).toEqual({
      search,
      status: 400,
      text: expect.stringContaining('"code":"INVALID_INPUT"'),
    });
  }
  expect(g.logs.lines.slice(logged).filter((l) => (l.level as number) >= 50)).toEqual([]);
});

test('a finished execution cannot be cancelled: CONFLICT, unchanged', async () => {
  const before = await state();
  const r = await g.gql(
    'mutation { cancelExecution(input: { executionId: "1" }) { __typename ... on Error { code } } }',
  );
  expect(r.data?.cancelExecution).toEqual({ __typename: 'ConflictError', code: 'CONFLICT' });
  expect(await state()).toEqual(before);
});

test('an unexpected error is masked with a request id; its log line carries the cause', async () => {
  // A row the schema cannot represent (NULL in a non-null field), broken through SQL.
  await db.sql('ALTER TABLE players ALTER COLUMN platform DROP NOT NULL');
  await db.sql('UPDATE players SET platform = NULL WHERE puuid = $1', [ALICE]);
  try {
    const r = await g.gql(`{ player(puuid: "${ALICE}") { platform } }`);
    expect(r.errors?.[0]?.message).toBe('Unexpected error.');
    expect(r.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    const requestId = r.errors?.[0]?.extensions?.requestId;
    expect(typeof requestId).toBe('string');
    const line = g.logs.lines.find((l) => l.request_id === requestId);
    expect(line?.msg).toBe('Unexpected GraphQL error');
  } finally {
    await db.sql(`UPDATE players SET platform = 'euw1' WHERE puuid = $1`, [ALICE]);
    await db.sql('ALTER TABLE players ALTER COLUMN platform SET NOT NULL');
  }
});
