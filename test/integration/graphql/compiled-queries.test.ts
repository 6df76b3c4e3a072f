import { getIntrospectionQuery } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { COMPILE_AFTER } from '../../../src/graphql/compiled-queries.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { type Loose, startGraphQL, TOKEN } from './harness.ts';
import { HOSTILE } from './hostile-cases.ts';
import { collect, type Payload, wsClient } from './live-clients.ts';
import { ALICE, puuidOf, seedPlayers } from './seed.ts';

// Counts compilations, and runs of compiled operations, so the test knows the later runs did go
// through graphql-jit.
const compiled = vi.hoisted(() => ({ count: 0, runs: 0 }));
vi.mock('graphql-jit', async (original) => {
  const jit = await original<typeof import('graphql-jit')>();
  return {
    ...jit,
    compileQuery: (...args: Parameters<typeof jit.compileQuery>) => {
      const result = jit.compileQuery(...args);
      if ('query' in result) {
        compiled.count += 1;
        const run = result.query;
        result.query = (...runArgs) => {
          compiled.runs += 1;
          return run(...runArgs);
        };
      }
      return result;
    },
  };
});

/** Whether each response was written by the result's own serializer (graphql-jit's) or not. */
const writtenBy: ('compiled' | 'JSON')[] = [];
const observeSerializer: Plugin = {
  onResultProcess: ({ result }) => {
    const own = typeof (result as { stringify?: unknown }).stringify === 'function';
    writtenBy.push(own ? 'compiled' : 'JSON');
  },
};

let db: TestDatabase;
let g: Awaited<ReturnType<typeof startGraphQL>>;
beforeAll(async () => {
  db = await createTestDatabase();
  await seedPlayers(db);
  g = await startGraphQL(db, { schedulerEnabled: false, plugins: [observeSerializer] });
  await db.sql(
    `INSERT INTO job_executions (job_config_id, status, trigger) VALUES (1, 'success', 'manual')`,
  );
});
afterAll(async () => {
  await g?.stop();
  await db?.drop();
});

const PLAYER = `query($p: String!) { player(puuid: $p) { ...P alias: puuid
  matches(first: 2) { edges { cursor node { kills kda match { matchId gameStart } } } pageInfo { hasNextPage } }
  rankHistory(queueType: "RANKED_SOLO_5x5", limit: 2) { tier division capturedAt }
  analyses(limit: 1) { smurfScore smurfFactors { name score details } }
  accountStatusHistory { status evidence } } }
  fragment P on Player { id puuid riotId rank { tier division } isTracked trackedAt }`;

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

/** Reads, and every hostile input that is a query: same answers whichever executor runs them. */
const CASES: { query: string; variables?: Record<string, unknown> }[] = [
  { query: PLAYER, variables: { p: ALICE } },
  { query: PLAYER, variables: { p: 'V'.repeat(78) } },
  { query: PLAYER, variables: {} },
  { query: PLAYER, variables: { p: 12 } },
  {
    query: `query($n: Int!, $skip: Boolean!) { players(first: $n) { totalCount pageInfo { endCursor }
      edges { node { puuid platform @skip(if: $skip) rankHistory(limit: 1) { leaguePoints } } } } }`,
    variables: { n: 2, skip: true },
  },
  {
    query:
      '{ trackedPlayers { puuid lastUpdated } jobs { name } statusOverview { jobs { __typename } runningExecutions { id } } }',
  },
  {
    query:
      '{ jobExecutions(first: 5) { edges { node { id status jobName progress { phase } } } } }',
  },
  {
    // An interface resolved to two object types, one of them a Prisma node.
    query: `query($a: ID!, $b: ID!) { a: node(id: $a) { ...N } b: node(id: $b) { ...N } }
      fragment N on Node { __typename id ... on Player { puuid rank { tier } }
        ... on JobExecution { status jobName } }`,
    variables: { a: globalId('Player', ALICE), b: globalId('JobExecution', '1') },
  },
  { query: '{ jobStats { jobType } jobExecution(id: "Sm9iRXhlY3V0aW9uOjE=") { id status } }' },
  { query: 'query A { jobs { name } } query B { trackedPlayers { puuid } }' },
  { query: getIntrospectionQuery() },
  ...HOSTILE.filter((c) => !c.raw && !c.query.trimStart().startsWith('mutation')).map((c) => ({
    query: c.query,
    variables: c.variables,
  })),
];

async function post(body: unknown) {
  const response = await g.server.yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
  // Request ids differ between runs by design.
  const text = (await response.text()).replace(/"requestId":"[^"]*"/g, '"requestId":"…"');
  return { status: response.status, text, json: JSON.parse(text) as Loose };
}

test('compiled queries answer byte for byte as interpreted ones: data, errors, locations, paths', async () => {
  expect(CASES.length).toBeGreaterThan(25);
  const before = compiled.count;
  for (const [index, c] of CASES.entries()) {
    // A document of its own (the comment is part of the text), so its first run is interpreted.
    const body = { ...c, query: `${c.query}\n# case ${index}` };
    const runs = [];
    for (let i = 0; i <= COMPILE_AFTER; i++) runs.push(await post(body));
    for (const run of runs.slice(1)) expect(run.text, c.query).toBe(runs[0]?.text);
  }
  // Every document of a query that validates was compiled (once), not only interpreted.
  expect(compiled.count - before).toBeGreaterThanOrEqual(10);
});

test("a compiled query of objects and built-in scalars is written by graphql-jit's serializer, as JSON.stringify writes it", async () => {
  // Escapes: a quote, a backslash, control characters, U+2028, non-ASCII letters and an emoji.
  const name = 'Zoë "q" \\ \u0001\u001f\u2028 ☃😀';
  await db.sql(
    `INSERT INTO players (puuid, game_name, tag_line, riot_id, platform, current_tier, current_lp)
     VALUES ($1, $2, 'X', $3, 'euw1', 'GOLD', 7)`,
    [puuidOf('Z'), name, `${name}#X`],
  );
  const fixed = `{ players(search: "Zo", first: 5) { edges { cursor node { puuid gameName riotId
    summonerLevel isTracked rank { tier division leaguePoints } } } pageInfo { hasNextPage } } }`;
  // A DateTime (a custom scalar) and an interface: compiled, but written by JSON.stringify.
  const scalar = `{ players(search: "Zo") { edges { node { puuid discoveredAt } } } }`;
  const abstract = `query($id: ID!) { node(id: $id) { id ... on Player { puuid } } }`;
  for (const [query, variables, expected] of [
    [fixed, {}, 'compiled'],
    [scalar, {}, 'JSON'],
    [abstract, { id: globalId('Player', puuidOf('Z')) }, 'JSON'],
  ] as const) {
    writtenBy.length = 0;
    const before = compiled.count;
    const runs = [];
    for (let i = 0; i <= COMPILE_AFTER; i++) runs.push(await post({ query, variables }));
    expect(compiled.count - before, query).toBe(1);
    // Interpreted until compiled on its COMPILE_AFTERth run.
    expect(writtenBy[0]).toBe('JSON');
    expect(writtenBy.at(-1), query).toBe(expected);
    expect(runs[0]?.json.errors).toBeUndefined();
    for (const run of runs.slice(1)) expect(run.text).toBe(runs[0]?.text);
  }
  const { json } = await post({ query: fixed });
  expect(json.data.players.edges[0].node).toMatchObject({ gameName: name, riotId: `${name}#X` });
});

test('an unexpected resolver error is masked the same way once compiled', async () => {
  await db.sql('ALTER TABLE players ALTER COLUMN platform DROP NOT NULL');
  await db.sql('UPDATE players SET platform = NULL WHERE puuid = $1', [ALICE]);
  try {
    const runs = [];
    for (let i = 0; i <= COMPILE_AFTER; i++) {
      runs.push(await post({ query: `{ player(puuid: "${ALICE}") { puuid platform } }` }));
    }
    expect(runs[0]?.json.errors[0]).toMatchObject({
      message: 'Unexpected error.',
      path: ['player', 'platform'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    for (const run of runs.slice(1)) expect(run).toEqual(runs[0]);
  } finally {
    await db.sql(`UPDATE players SET platform = 'euw1' WHERE puuid = $1`, [ALICE]);
    await db.sql('ALTER TABLE players ALTER COLUMN platform SET NOT NULL');
  }
});

test('a query over graphql-ws is compiled too, with the same answer', async () => {
  const { app, url } = await g.listen();
  const client = wsClient(url);
  try {
    const query = `${PLAYER}\n# over graphql-ws`;
    const before = compiled.count;
    const runs = [];
    for (let i = 0; i <= COMPILE_AFTER; i++) runs.push(await collect(client, query, { p: ALICE }));
    expect(compiled.count - before).toBe(1);
    expect(runs[0]?.[0]?.data?.player?.puuid).toBe(ALICE);
    for (const run of runs.slice(1)) expect(run).toEqual(runs[0]);
  } finally {
    await client.dispose();
    await app.stop();
  }
});

describe('subscriptions', () => {
  let server: Awaited<ReturnType<typeof g.listen>>;
  beforeAll(async () => {
    server = await g.listen();
  });
  afterAll(async () => {
    await server?.app.stop();
  });

  const PROGRESS = `subscription($id: ID!) { jobProgress(executionId: $id) {
    executionId jobId jobType status phase processed total errorMessage at } }`;

  /** Starts `query` COMPILE_AFTER + 1 times over one client; resolves once each got `ready`. */
  async function subscribeAll(
    query: string,
    variables: Record<string, unknown>,
    ready: (payloads: Payload[]) => boolean,
  ) {
    const client = wsClient(server.url);
    const runs = Array.from({ length: COMPILE_AFTER + 1 }, () => ({
      payloads: [] as Payload[],
      done: undefined as unknown as Promise<unknown>,
    }));
    const before = { ...compiled };
    for (const run of runs) {
      run.done = collect(client, query, variables, (p) => run.payloads.push(p)).catch((e) => e);
      await vi.waitFor(() => expect(ready(run.payloads)).toBe(true));
    }
    return {
      client,
      runs,
      compiledSince: () => compiled.count - before.count,
      compiledRunsSince: () => compiled.runs - before.runs,
    };
  }

  test('events of a compiled subscription answer as the interpreted ones, custom scalars included', async () => {
    const { rows } = await db.sql(
      `INSERT INTO job_executions (job_config_id, status, trigger, progress)
       VALUES (1, 'running', 'manual', $1) RETURNING id`,
      [{ phase: 'steps', processed: 1, total: 3, updatedAt: '2026-01-01T00:00:00.000Z' }],
    );
    const executionId = rows[0]?.id as number;
    // Every subscriber first gets the row's state.
    const { client, runs, compiledSince, compiledRunsSince } = await subscribeAll(
      PROGRESS,
      { id: String(executionId) },
      (payloads) => payloads.length === 1,
    );
    expect(compiledSince()).toBe(1);
    // Subscribers from the COMPILE_AFTERth on run each event through graphql-jit.
    const compiledSubscribers = runs.length - COMPILE_AFTER + 1;
    expect(compiledRunsSince()).toBe(compiledSubscribers);
    const event = { executionId, jobConfigId: 1, jobType: 'player_analyzer' };
    for (const processed of [2, 3]) {
      g.pubsub.publish('jobProgress', {
        ...event,
        phase: 'steps',
        processed,
        total: 3,
        apiRequestsMade: processed,
        recordsCreated: 0,
        recordsUpdated: 0,
        at: `2026-01-01T00:00:0${processed}.000Z`,
      });
    }
    g.pubsub.publish('executionStatus', {
      ...event,
      status: 'success',
      trigger: 'manual',
      errorMessage: null,
      at: '2026-01-01T00:00:04.000Z',
    });
    await Promise.all(runs.map((run) => run.done));
    await client.dispose();
    // The first state is stamped with the time it was read.
    const streams = runs.map((run) =>
      run.payloads.map((p, i) => (i === 0 ? { ...p.data?.jobProgress, at: 'read' } : p)),
    );
    expect(streams[0]?.slice(1).map((p) => (p as Payload).data?.jobProgress)).toEqual([
      expect.objectContaining({ processed: 2, at: '2026-01-01T00:00:02.000Z' }),
      expect.objectContaining({ processed: 3, at: '2026-01-01T00:00:03.000Z' }),
      expect.objectContaining({ status: 'success', at: '2026-01-01T00:00:04.000Z' }),
    ]);
    for (const stream of streams.slice(1)) expect(stream).toEqual(streams[0]);
    expect(compiledRunsSince()).toBe(compiledSubscribers * 4);
  });

  test("a subscription's errors are the same once compiled: unknown ids, refused variables", async () => {
    for (const variables of [{ id: '987654' }, { id: { not: 'an id' } }]) {
      const query = `${PROGRESS}\n# errors ${JSON.stringify(variables)}`;
      const { client, runs, compiledSince } = await subscribeAll(query, variables, () => true);
      const errors = await Promise.all(runs.map((run) => run.done));
      await client.dispose();
      expect(compiledSince()).toBe(1);
      expect(JSON.stringify(errors[0])).toMatch(/NOT_FOUND|INVALID_INPUT/);
      for (const error of errors.slice(1)) expect(error).toEqual(errors[0]);
    }
  });

  test('a subscription whose events load Prisma rows stays with the interpreter, and loads them', async () => {
    const inline = `subscription { playerFlagged { puuid smurfScore player { puuid riotId isTracked } } }`;
    const fragment = `subscription { playerFlagged { puuid smurfScore ...F } }
      fragment F on PlayerFlagged { player { puuid riotId isTracked } }`;
    for (const query of [inline, fragment]) {
      const { client, runs, compiledSince, compiledRunsSince } = await subscribeAll(
        query,
        {},
        () => true,
      );
      // Each subscription listens once graphql-ws has started it: published until all have one.
      await vi.waitFor(
        () => {
          g.pubsub.publish('playerFlagged', {
            puuid: ALICE,
            riotId: null,
            smurfScore: 81.5,
            confidence: 'high',
            at: '2026-01-01T00:00:00.000Z',
          });
          for (const run of runs) expect(run.payloads.length).toBeGreaterThan(0);
        },
        { timeout: 5000, interval: 100 },
      );
      await client.dispose();
      expect(compiledSince(), query).toBe(0);
      expect(compiledRunsSince(), query).toBe(0);
      for (const run of runs) {
        expect(run.payloads[0]?.data?.playerFlagged).toMatchObject({
          puuid: ALICE,
          smurfScore: 81.5,
          player: { puuid: ALICE, isTracked: expect.any(Boolean) },
        });
      }
    }
  });
});
