import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { SEED_PLAYERS_SQL } from '../../helpers/counting-prisma.ts';
import { type Loose, startCountingGraphQL } from './harness.ts';

let t: Awaited<ReturnType<typeof startCountingGraphQL>>;
let db: typeof t.db;
let g: typeof t.g;
let server: typeof t.server;
let counter: typeof t.counter;
beforeAll(async () => {
  t = await startCountingGraphQL(SEED_PLAYERS_SQL(120));
  ({ db, g, server, counter } = t);
});
afterAll(async () => {
  await t?.stop();
});

const PAGE = `query($n: Int!) { players(first: $n, tracked: null) { totalCount edges { node {
  puuid riotId rank { tier division leaguePoints }
  rankHistory(limit: 3) { tier leaguePoints capturedAt }
  analyses(limit: 1) { smurfScore smurfFactors { name } }
  matches(first: 2) { edges { node { kills kda match { matchId gameStart } } } } } } } }`;

async function statementsFor(query: string, variables: Record<string, unknown>) {
  const before = counter.statements;
  const response = await server.yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Loose; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return { statements: counter.statements - before, body };
}

test('SQL statements per request do not grow with the page size (players with nested relations)', async () => {
  const small = await statementsFor(PAGE, { n: 10 });
  const large = await statementsFor(PAGE, { n: 100 });
  expect(small.body.data.players.edges).toHaveLength(10);
  expect(large.body.data.players.edges).toHaveLength(100);
  expect(large.body.data.players.edges[99].node.rankHistory).toHaveLength(3);
  expect(large.body.data.players.edges[99].node.matches.edges).toHaveLength(2);
  expect(small.statements).toBeGreaterThan(0);
  expect(large.statements).toBe(small.statements);
});

test('the same for executions and the tracked list', async () => {
  await db.sql(`INSERT INTO job_executions (job_config_id, status, trigger)
    SELECT 1 + i % 3, 'success', 'manual' FROM generate_series(1, 150) i`);
  const q =
    'query($n: Int!) { jobExecutions(first: $n) { edges { node { id jobName jobType status progress { phase } } } } }';
  const small = await statementsFor(q, { n: 10 });
  const large = await statementsFor(q, { n: 100 });
  expect(large.body.data.jobExecutions.edges).toHaveLength(100);
  expect(large.statements).toBe(small.statements);
  const tracked = await statementsFor(
    '{ trackedPlayers { puuid rankHistory(limit: 2) { tier } } }',
    {},
  );
  expect(tracked.body.data.trackedPlayers).toHaveLength(40);
  expect(tracked.statements).toBeLessThanOrEqual(small.statements + 1);
});

test('a page of columns is read with one direct statement; relations send it to Prisma', async () => {
  const statementsOf = async (selection: string) => {
    const from = counter.texts.length;
    await statementsFor(`{ players(first: 5) { edges { node { ${selection} } } } }`, {});
    return counter.texts.slice(from);
  };
  // Prisma writes schema-qualified, quoted names; the direct read does not.
  const prismaRead = (text: string) => text.includes('"public"."players"');
  const columns = await statementsOf('puuid riotId rank { tier }');
  expect(columns).toHaveLength(1);
  expect(columns[0]).toMatch(/^SELECT puuid AS "puuid", .* FROM players ORDER BY puuid LIMIT \$1$/);
  const withRelation = await statementsOf('puuid accountStatusHistory(limit: 1) { status }');
  expect(withRelation.some(prismaRead)).toBe(true);
  // Histories with loaders of their own (analyses, rankHistory) keep the page direct: one
  // statement for the page, one for each history, whatever the page size.
  const withHistories = await statementsOf(
    'puuid analyses(limit: 1) { smurfScore } rankHistory(limit: 2) { tier }',
  );
  expect(withHistories).toHaveLength(3);
  expect(withHistories.some(prismaRead)).toBe(false);
});

test('the direct reads go as prepared statements, one name per text', async () => {
  const namesOf = async (document: string) => {
    const from = counter.names.length;
    await statementsFor(document, {});
    return counter.names.slice(from);
  };
  const document =
    '{ players(first: 5) { edges { node { puuid rankHistory(limit: 2) { tier } } } } }';
  const first = await namesOf(document);
  expect(first).toHaveLength(2);
  for (const name of first) expect(name).toMatch(/^rw_/);
  expect(new Set(first).size).toBe(2);
  expect(await namesOf(document)).toEqual(first);
});

test('the direct read selects what the nodes ask for, through aliases, fragments and directives', async () => {
  const columnsRead = async (document: string) => {
    const from = counter.texts.length;
    const { body } = await statementsFor(document, {});
    // One direct read of the page (rankHistory adds one of its own), no Prisma read of players.
    const texts = counter.texts.slice(from).filter((t) => /FROM "?(public"\.")?players/.test(t));
    expect(texts).toHaveLength(1);
    const list = /^SELECT (.*) FROM players /.exec(texts[0] ?? '')?.[1] ?? '';
    return { columns: [...list.matchAll(/ AS "(\w+)"/g)].map((m) => m[1]).sort(), body };
  };
  const page = (selection: string, fragments = '') =>
    `{ players(first: 2) { pageInfo { endCursor } edges { cursor node { ${selection} } } } } ${fragments}`;
  const RANK = ['currentLosses', 'currentLp', 'currentRank', 'currentTier', 'currentWins'];
  const cases: [string, string[]][] = [
    [page('__typename'), ['puuid']],
    [page('id name: riotId rank { tier }'), ['puuid', 'riotId', ...RANK].sort()],
    [page('...F', 'fragment F on Player { platform ... on Node { id } }'), ['platform', 'puuid']],
    [
      page('puuid @skip(if: true) isTracked rankHistory(limit: 1) { tier }'),
      ['isTracked', 'puuid'],
    ],
    [
      `{ players(first: 2) { ...C } } fragment C on QueryPlayersConnection { edges { node { gameName } } }`,
      ['gameName', 'puuid'],
    ],
    // Matches are paged by a loader of their own, from the PUUIDs.
    [page('puuid ... on Player { matches(first: 1) { edges { node { kills } } } }'), ['puuid']],
  ];
  for (const [document, columns] of cases) {
    const read = await columnsRead(document);
    expect(read.columns, document).toEqual(columns);
    expect(read.body.data.players.edges).toHaveLength(2);
  }
  // A relation anywhere under the nodes, fragments included, is Prisma's to plan and nest.
  for (const document of [
    page('...F', 'fragment F on Player { puuid accountStatusHistory { status } }'),
    page('puuid ... on Player { accountStatusHistory(limit: 1) { status } }'),
  ]) {
    const from = counter.texts.length;
    const { body } = await statementsFor(document, {});
    expect(counter.texts.slice(from).some((t) => t.includes('"public"."players"'))).toBe(true);
    expect(body.data.players.edges).toHaveLength(2);
  }
});

test('player lookups of one request share a statement, however many aliases', async () => {
  const aliases = (n: number) =>
    `{ ${Array.from({ length: n }, (_, i) => `p${i}: player(puuid: "${String(i + 1).padStart(78, 'P')}") { puuid riotId }`).join(' ')} }`;
  const one = await statementsFor(aliases(1), {});
  const ten = await statementsFor(aliases(10), {});
  expect(ten.body.data.p9.puuid).toBe('10'.padStart(78, 'P'));
  expect(ten.statements).toBe(one.statements);
});

test('rankHistory(limit: 3) reads 3 snapshots per player from the database, not the whole history', async () => {
  // Ten older solo-queue snapshots per player, and a newer flex one: histories of 14.
  await db.sql(`INSERT INTO rank_snapshots (puuid, queue_type, tier, rank, league_points, wins,
      losses, captured_at)
    SELECT lpad(i::text, 78, 'P'), 'RANKED_SOLO_5x5', 'SILVER', 'I', j, 1, 1, now() - (10 + j) * interval '1 day'
    FROM generate_series(1, 120) i, generate_series(1, 10) j
    UNION ALL
    SELECT lpad(i::text, 78, 'P'), 'RANKED_FLEX_SR', 'PLATINUM', 'IV', 0, 1, 1, now()
    FROM generate_series(1, 120) i`);
  const q = `query($n: Int!, $l: Int!) { players(first: $n) { edges { node { puuid
    all: rankHistory(limit: $l) { tier leaguePoints }
    solo: rankHistory(limit: 3, queueType: "RANKED_SOLO_5x5") { leaguePoints } } } } }`;
  const read = async (limit: number) => {
    const [rows, text] = [counter.rows, counter.text];
    const { statements, body } = await statementsFor(q, { n: 50, l: limit });
    const nodes = body.data.players.edges.map((e: Loose) => e.node);
    expect(nodes).toHaveLength(50);
    for (const node of nodes)
      expect(node.solo.map((s: Loose) => s.leaguePoints)).toEqual([10, 20, 30]);
    return {
      statements,
      nodes,
      rows: counter.rows - rows,
      text: counter.text - text,
    };
  };
  // Interpreted, then compiled (graphql-jit from the second execution on).
  for (let run = 0; run < 3; run++) {
    const three = await read(3);
    for (const node of three.nodes) {
      expect(node.all.map((s: Loose) => s.tier)).toEqual(['PLATINUM', 'GOLD', 'GOLD']);
    }
    // One statement for the page and one per distinct set of history arguments.
    expect(three.statements).toBe(3);
    // The page's 51 rows (one more tells whether there is a next page), then at most 3 snapshots
    // per player and history (Prisma's nested take read all 1,400).
    expect(three.rows).toBeLessThanOrEqual(51 + 2 * 50 * 3);
    // The database sends what the limit asks for, not whole histories.
    const all = await read(14);
    for (const node of all.nodes) expect(node.all).toHaveLength(14);
    expect(three.text).toBeLessThan(all.text * 0.5);
  }
});

test('analyses(limit: 2) reads 2 analyses per player from the database, newest first', async () => {
  // Five analyses per player, an hour apart, newer than any seeded one.
  await db.sql(`INSERT INTO player_analyses (puuid, algorithm_version, smurf_score, smurf_confidence,
      games_analyzed, created_at)
    SELECT lpad(i::text, 78, 'P'), 'v' || j, j / 10.0, 'low', 20, now() + j * interval '1 hour'
    FROM generate_series(1, 120) i, generate_series(1, 5) j`);
  const q = `query($n: Int!) { players(first: $n) { edges { node { puuid
    analyses(limit: 2) { algorithmVersion smurfScore createdAt } } } } }`;
  for (let run = 0; run < 3; run++) {
    const rows = counter.rows;
    const { statements, body } = await statementsFor(q, { n: 50 });
    const nodes = body.data.players.edges.map((e: Loose) => e.node);
    expect(nodes).toHaveLength(50);
    for (const node of nodes) {
      const versions = node.analyses.map((a: Loose) => a.algorithmVersion);
      expect(versions.slice(0, 2)).toEqual(['v5', 'v4']);
    }
    expect(statements).toBe(2);
    // The page's 51 rows, then 2 analyses per player (Prisma's nested take read all 250).
    expect(counter.rows - rows).toBeLessThanOrEqual(51 + 50 * 2);
  }
});

test('an event reaching many subscribers reads their players’ analyses in one statement', async () => {
  const puuid = String(7).padStart(78, 'P');
  const query = `subscription { playerFlagged { puuid player { puuid riotId
    analyses(limit: 1) { smurfScore } } } }`;
  const controller = new AbortController();
  const received = await Promise.all(
    Array.from({ length: 5 }, async () => {
      const response = await server.yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query }),
        signal: controller.signal,
      });
      const events: Loose[] = [];
      void (async () => {
        let text = '';
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          text += new TextDecoder().decode(chunk);
          for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
            const data = /^data: (.*)$/m.exec(text.slice(0, end))?.[1];
            if (data) events.push(JSON.parse(data));
            text = text.slice(end + 2);
          }
        }
      })().catch(() => {});
      return events;
    }),
  );
  const publish = () =>
    g.pubsub.publish('playerFlagged', {
      puuid,
      riotId: null,
      smurfScore: 0.9,
      confidence: 'high',
      at: '2026-01-01T00:00:00.000Z',
    });
  try {
    // Until every stream listens (each has had an event)…
    await vi.waitFor(
      () => {
        publish();
        for (const events of received) expect(events.length).toBeGreaterThan(0);
      },
      { timeout: 10_000, interval: 100 },
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const counts = received.map((events) => events.length);
    // …then one event to all five.
    const before = counter.statements;
    publish();
    await vi.waitFor(() => {
      for (const [i, events] of received.entries()) {
        expect(events.length).toBe((counts[i] as number) + 1);
      }
    });
    for (const events of received)
      expect(events.at(-1)?.data?.playerFlagged.player.puuid).toBe(puuid);
    // The players in one statement (Prisma batches the lookups), their analyses in one more.
    expect(counter.statements - before).toBe(2);
  } finally {
    controller.abort();
  }
});
