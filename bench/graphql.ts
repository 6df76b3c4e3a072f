/**
 * GraphQL benchmark: players(first: 50) with ranks through GraphQL vs the same rows with raw pg;
 * SQL statements per request at page sizes 10 and 100; 1,000 graphql-ws subscribers receiving
 * progress events (latency from publish to receipt).
 * Run: DATABASE_URL=postgresql://… node --import tsx bench/graphql.ts [--iterations 300] [--subscribers 1000]
 */
import { parseArgs } from 'node:util';
import { setUp } from './graphql-setup.ts';
import { measureFanOut } from './graphql-subscribers.ts';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '300' },
    subscribers: { type: 'string', default: '1000' },
    events: { type: 'string', default: '20' },
  },
});
const iterations = Number(values.iterations);

const PLAYERS = `query($n: Int!) { players(first: $n) { edges { node {
  puuid riotId platform rank { tier division leaguePoints wins losses }
  rankHistory(limit: 3) { queueType tier division leaguePoints capturedAt } } } } }`;

const RAW_PLAYERS = `SELECT puuid, riot_id, platform, current_tier, current_rank, current_lp, current_wins,
  current_losses FROM players ORDER BY puuid LIMIT $1`;
const RAW_RANKS = `SELECT puuid, queue_type, tier, rank, league_points, captured_at FROM (
  SELECT *, row_number() OVER (PARTITION BY puuid ORDER BY captured_at DESC, id DESC) AS n
  FROM rank_snapshots WHERE puuid = ANY($1)) s WHERE n <= 3`;

const env = await setUp(500);
const { graphql, pool, counting } = env;

async function viaGraphQL(n: number, server = graphql) {
  const response = await server.yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: PLAYERS, variables: { n } }),
  });
  const body = (await response.json()) as { data?: { players: { edges: unknown[] } } };
  if (body.data?.players.edges.length !== n) throw new Error(JSON.stringify(body).slice(0, 300));
}

async function viaPg(n: number) {
  const players = await pool.query(RAW_PLAYERS, [n]);
  await pool.query(RAW_RANKS, [players.rows.map((r) => r.puuid)]);
  if (players.rows.length !== n) throw new Error('short page');
}

/** The same read through Prisma alone, to tell its share from GraphQL's. */
async function viaPrisma(n: number) {
  const rows = await env.prisma.player.findMany({
    take: n + 1,
    orderBy: { puuid: 'asc' },
    select: {
      puuid: true,
      riotId: true,
      platform: true,
      currentTier: true,
      currentRank: true,
      currentLp: true,
      currentWins: true,
      currentLosses: true,
      rankSnapshots: { take: 3, orderBy: [{ capturedAt: 'desc' }, { id: 'desc' }] },
    },
  });
  if (rows.length !== n + 1) throw new Error('short page');
}

async function opsPerSecond(run: () => Promise<void>) {
  for (let i = 0; i < 30; i++) await run();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await run();
  return (iterations / (performance.now() - start)) * 1000;
}

// Interleaved rounds, so neither side gets the machine's quiet moments alone.
let gqlOps = 0;
let pgOps = 0;
let prismaOps = 0;
for (let round = 0; round < 3; round++) {
  gqlOps += await opsPerSecond(() => viaGraphQL(50));
  pgOps += await opsPerSecond(() => viaPg(50));
  prismaOps += await opsPerSecond(() => viaPrisma(50));
}
gqlOps /= 3;
pgOps /= 3;
prismaOps /= 3;
console.log(`players(first: 50) with rank + 3 snapshots, ${iterations} × 3 sequential requests`);
console.log(`  GraphQL (yoga.fetch, Pothos, Prisma): ${gqlOps.toFixed(0)} req/s`);
console.log(`  raw pg (same rows, 2 statements):     ${pgOps.toFixed(0)} req/s`);
console.log(`  Prisma alone (same read, no GraphQL): ${prismaOps.toFixed(0)} req/s`);
console.log(`  ratio GraphQL / raw pg: ${(gqlOps / pgOps).toFixed(2)} (target >= 0.5)`);

const statements: Record<number, number> = {};
for (const n of [10, 100]) {
  const before = counting.counter.statements;
  await viaGraphQL(n, counting.graphql);
  statements[n] = counting.counter.statements - before;
}
console.log(
  `SQL statements per request: first 10 → ${statements[10]}, first 100 → ${statements[100]} (${statements[10] === statements[100] ? 'equal' : 'NOT equal'})`,
);

const fanOut = await measureFanOut(graphql, env.pubsub, {
  count: Number(values.subscribers),
  events: Number(values.events),
  jobConfigId: 1,
});
console.log(
  `${values.subscribers} graphql-ws subscribers × ${values.events} progress events: ${fanOut.received}/${fanOut.expected} received, ` +
    `latency p50 ${fanOut.p50} ms, p99 ${fanOut.p99} ms, max ${fanOut.max} ms (target p99 < 100 ms)`,
);
await env.tearDown();
process.exit(0);
