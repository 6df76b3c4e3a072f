import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { startGraphQL } from './harness.ts';
import { seedPlayers } from './seed.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await seedPlayers(db);
});
afterAll(async () => {
  await db?.drop();
});

const MUTATIONS = [
  `trackPlayer(input: { puuid: "${'Q'.repeat(78)}" })`,
  `untrackPlayer(input: { puuid: "${'A'.repeat(78)}" })`,
  'triggerJob(input: { jobId: "1" })',
  'configureJob(input: { jobId: "1", isActive: false })',
  'cancelExecution(input: { executionId: "1" })',
  'disableAllJobs(input: { confirm: true })',
  'failRunningExecutions(input: { confirm: true })',
  'resetJobState(input: { confirm: true })',
];
const mutation = (field: string) =>
  `mutation { ${field} { __typename ... on Error { code message } ... on UnauthenticatedError { reason } } }`;

async function state() {
  return Promise.all(
    [
      'SELECT puuid, is_tracked, is_analyzed FROM players ORDER BY puuid',
      'SELECT id, is_active, config_json FROM job_configurations ORDER BY id',
      'SELECT id, status FROM job_executions ORDER BY id',
    ].map(async (sql) => (await db.sql(sql)).rows),
  );
}

describe('with ADMIN_TOKEN', () => {
  let g: Awaited<ReturnType<typeof startGraphQL>>;
  beforeAll(async () => {
    g = await startGraphQL(db, { schedulerEnabled: false });
  });
  afterAll(() => g?.stop());

  test('every mutation without a token, or with a wrong one, is UNAUTHENTICATED and changes nothing', async () => {
    const before = await state();
    for (const field of MUTATIONS) {
      for (const [token, reason] of [
        [null, 'TOKEN_REQUIRED'],
        ['wrong-token', 'TOKEN_INVALID'],
        ['', 'TOKEN_REQUIRED'],
      ]) {
        const r = await g.gql(mutation(field), {}, { token, address: '127.0.0.1' });
        const result = Object.values(r.data ?? {})[0] as { code?: string; reason?: string };
        expect(result, `${field} with token ${token}`).toMatchObject({
          code: 'UNAUTHENTICATED',
          reason,
        });
      }
    }
    expect(await state()).toEqual(before);
  });

  test('queries need no token', async () => {
    const r = await g.gql('{ jobs { name } }', {}, { token: null });
    expect(r.data?.jobs).toHaveLength(3);
  });
});

describe('without ADMIN_TOKEN', () => {
  let g: Awaited<ReturnType<typeof startGraphQL>>;
  beforeAll(async () => {
    g = await startGraphQL(db, { adminToken: null, schedulerEnabled: false });
  });
  afterAll(() => g?.stop());

  test('mutations are refused from anywhere but loopback', async () => {
    const configure = mutation('configureJob(input: { jobId: "3", isActive: true })');
    for (const address of ['203.0.113.9', '10.0.0.2', '::ffff:192.168.1.4']) {
      const r = await g.gql(configure, {}, { token: null, address });
      // A client should not ask for a token: none would be accepted.
      expect(r.data?.configureJob).toMatchObject({
        code: 'UNAUTHENTICATED',
        reason: 'NO_TOKEN_CONFIGURED',
      });
    }
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      const r = await g.gql(configure, {}, { token: null, address });
      expect(r.data?.configureJob.__typename).toBe('JobPayload');
    }
  });

  test('a web page of another origin cannot use loopback (cross-site request forgery)', async () => {
    const before = await state();
    const disable = mutation('disableAllJobs(input: { confirm: true })');
    const headers = { origin: 'http://evil.example', host: 'localhost' };
    const r = await g.gql(disable, {}, { token: null, address: '127.0.0.1', headers });
    expect(r.data?.disableAllJobs.code).toBe('UNAUTHENTICATED');
    expect(await state()).toEqual(before);
    // GraphiQL, served from the same origin, may.
    const same = { origin: 'http://localhost', host: 'localhost' };
    const ok = await g.gql(
      mutation('configureJob(input: { jobId: "3", isActive: true })'),
      {},
      { token: null, address: '127.0.0.1', headers: same },
    );
    expect(ok.data?.configureJob.__typename).toBe('JobPayload');
  });

  test('a request relayed by a reverse proxy on this machine cannot use loopback', async () => {
    const before = await state();
    const disable = mutation('disableAllJobs(input: { confirm: true })');
    const relayed: Record<string, string>[] = [
      { 'x-forwarded-for': '203.0.113.9', host: 'localhost:8000' },
      { 'x-real-ip': '203.0.113.9' },
      { forwarded: 'for=203.0.113.9;proto=https' },
    ];
    for (const headers of relayed) {
      const r = await g.gql(disable, {}, { token: null, address: '127.0.0.1', headers });
      expect(r.data?.disableAllJobs).toMatchObject({
        code: 'UNAUTHENTICATED',
        reason: 'NO_TOKEN_CONFIGURED',
        message: expect.stringMatching(/not through a proxy/),
      });
    }
    expect(await state()).toEqual(before);
  });

  test('a page whose host name was rebound to 127.0.0.1 cannot use loopback (DNS rebinding)', async () => {
    const before = await state();
    const disable = mutation('disableAllJobs(input: { confirm: true })');
    // Host and Origin agree: the attacker's name, now resolving to this machine.
    const requests: Record<string, string>[] = [
      { origin: 'http://rebind.attacker.example:8000', host: 'rebind.attacker.example:8000' },
      { host: 'rebind.attacker.example:8000' },
    ];
    for (const headers of requests) {
      const r = await g.gql(disable, {}, { token: null, address: '127.0.0.1', headers });
      expect(r.data?.disableAllJobs.code).toBe('UNAUTHENTICATED');
    }
    expect(await state()).toEqual(before);
  });
});

describe('throttling', () => {
  let g: Awaited<ReturnType<typeof startGraphQL>>;
  beforeAll(async () => {
    g = await startGraphQL(db, { schedulerEnabled: false, throttle: { burst: 3, perMinute: 6 } });
  });
  afterAll(() => g?.stop());

  test('past the burst: RATE_LIMITED with retryAfter, nothing triggered; other callers unaffected', async () => {
    const trigger = mutation('triggerJob(input: { jobId: "2" })');
    for (let i = 0; i < 3; i++) {
      expect((await g.gql(trigger)).data?.triggerJob.__typename).toBe('ExecutionPayload');
    }
    const executions = 'SELECT count(*)::int AS n FROM job_executions';
    const before = (await db.sql(executions)).rows[0];
    const refused = await g.gql(trigger);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    // 6 per minute: the next token is 10 s away.
    expect(refused.errors?.[0]?.extensions?.retryAfter).toBeGreaterThanOrEqual(9);
    expect(refused.errors?.[0]?.extensions?.retryAfter).toBeLessThanOrEqual(10);
    expect((await db.sql(executions)).rows[0]).toEqual(before);
    // Queries are not throttled.
    expect((await g.gql('{ jobs { name } }')).data?.jobs).toHaveLength(3);
  });

  test('a wrong token spends its address budget, not a fresh one', async () => {
    const trigger = mutation('triggerJob(input: { jobId: "2" })');
    for (let i = 0; i < 3; i++) {
      const r = await g.gql(trigger, {}, { token: `guess-${i}`, address: '198.51.100.1' });
      expect(r.data?.triggerJob.code).toBe('UNAUTHENTICATED');
    }
    const r = await g.gql(trigger, {}, { token: 'guess-4', address: '198.51.100.1' });
    expect(r.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  test('a document of aliased mutations spends one token per field', async () => {
    const r = await g.gql(
      mutation('triggerJob(input: { jobId: "2" })'),
      {},
      { token: null, address: '198.51.100.2' },
    );
    expect(r.data?.triggerJob.code).toBe('UNAUTHENTICATED');
    const three = `mutation { a: triggerJob(input: { jobId: "2" }) { __typename } b: triggerJob(input: { jobId: "2" }) { __typename } c: triggerJob(input: { jobId: "2" }) { __typename } }`;
    const refused = await g.gql(three, {}, { token: null, address: '198.51.100.2' });
    expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });
});
