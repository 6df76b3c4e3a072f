/**
 * GraphQL benchmark: players(first: 50) with their rank (and with their rank history) through
 * GraphQL vs the same rows with raw pg (a plain query; for scale, also a prepared statement, as
 * the GraphQL layer sends its own reads), and the layer by itself over rows replayed from memory;
 * SQL statements per request at page sizes 10 and 100; 1,000 graphql-ws subscribers receiving
 * progress events (latency from publish to receipt).
 * Run: [DATABASE_URL=postgresql://…] NODE_ENV=production node --import tsx bench/graphql.ts
 *   (without DATABASE_URL, on an embedded PostgreSQL)
 *   [--iterations 1000] [--rounds 5] [--warm-up 3000] [--subscribers 1000] [--events 20]
 *   [--warm-up-events 3]
 */
import { parseArgs } from 'node:util';
import { setUp } from './graphql-setup.ts';
import { measureFanOut } from './graphql-subscribers.ts';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '1000' },
    subscribers: { type: 'string', default: '1000' },
    events: { type: 'string', default: '20' },
    'warm-up-events': { type: 'string', default: '3' },
    rounds: { type: 'string', default: '5' },
    'warm-up': { type: 'string', default: '3000' },
  },
});
const iterations = Number(values.iterations);
const rounds = Number(values.rounds);
const warmUpRequests = Number(values['warm-up']);

const RANK = 'puuid riotId platform rank { tier division leaguePoints wins losses }';
const HISTORY = 'rankHistory(limit: 3) { queueType tier division leaguePoints capturedAt }';
const page = (selection: string) =>
  `query($n: Int!) { players(first: $n) { edges { node { ${selection} } } } }`;

const RAW_PLAYERS = `SELECT puuid, riot_id, platform, current_tier, current_rank, current_lp, current_wins,
  current_losses FROM players ORDER BY puuid LIMIT $1`;
const RAW_RANKS = `SELECT r.* FROM unnest($1::text[]) p(puuid) CROSS JOIN LATERAL (
  SELECT puuid, queue_type, tier, rank, league_points, captured_at FROM rank_snapshots
  WHERE puuid = p.puuid ORDER BY captured_at DESC, id DESC LIMIT 3) r`;

const env = await setUp(500);
const { graphql, pool, counting } = env;

function viaGraphQL(query: string, server = graphql) {
  return async (n: number) => {
    const response = await server.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables: { n } }),
    });
    const body = (await response.json()) as { data?: { players: { edges: unknown[] } } };
    if (body.data?.players.edges.length !== n) throw new Error(JSON.stringify(body).slice(0, 300));
  };
}

async function pgPlayers(n: number) {
  const players = await pool.query(RAW_PLAYERS, [n]);
  if (players.rows.length !== n) throw new Error('short page');
  return players.rows;
}

/** The same read as a named statement, as the GraphQL layer sends its own reads. */
async function pgPlayersPrepared(n: number) {
  const players = await pool.query({ name: 'bench_players', text: RAW_PLAYERS, values: [n] });
  if (players.rows.length !== n) throw new Error('short page');
}

async function pgPlayersAndHistory(n: number) {
  const players = await pgPlayers(n);
  await pool.query(RAW_RANKS, [players.map((r) => r.puuid)]);
}

/** The page through Prisma alone, to tell its share from GraphQL's. */
async function viaPrisma(n: number) {
  const rows = await env.prisma.player.findMany({
    take: n,
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
    },
  });
  if (rows.length !== n) throw new Error('short page');
}

/** Requests per second, and this process's CPU time per request (µs): what the database's own
 * time and this VM's latency swings leave out. */
async function measure(run: (n: number) => Promise<unknown>) {
  for (let i = 0; i < 100; i++) await run(50);
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await run(50);
  const elapsed = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ops: (iterations / elapsed) * 1000, cpu: (used.user + used.system) / iterations };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;

/** A long-running server's steady state: every path compiled and optimised before timing. */
async function warmUp(sides: Record<string, (n: number) => Promise<unknown>>) {
  for (const run of Object.values(sides)) for (let i = 0; i < warmUpRequests; i++) await run(50);
}

/**
 * Interleaved rounds, so neither side gets the machine's quiet moments alone; the ratio of each
 * round is taken, and the median of those.
 */
async function compare(
  label: string,
  sides: Record<string, (n: number) => Promise<unknown>>,
  target = '; target >= 0.5',
) {
  await warmUp(sides);
  const names = Object.keys(sides);
  const ops: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const cpu: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const { ops: rate, cpu: perRequest } = await measure(sides[name] as never);
      ops[name]?.push(rate);
      cpu[name]?.push(perRequest);
    }
  }
  console.log(`${label}, ${rounds} rounds of ${iterations} sequential requests`);
  for (const name of names) {
    console.log(
      `  ${name}: ${median(ops[name] ?? []).toFixed(0)} req/s, CPU ${median(cpu[name] ?? []).toFixed(0)} µs per request in this process`,
    );
  }
  const [measured = [], ...baselines] = names.map((name) => ops[name] ?? []);
  baselines.forEach((baseline, b) => {
    const ratios = measured.map((value, i) => value / (baseline[i] ?? Number.NaN));
    const against = names[b + 1]?.replace(/ \(.*/, '');
    console.log(
      `  ratio ${names[0]?.split(' ')[0]} / ${against}: ${median(ratios).toFixed(2)} (rounds ${ratios.map((r) => r.toFixed(2)).join(' ')}${b === 0 ? target : ''})`,
    );
  });
}

await compare('players(first: 50) with rank', {
  'GraphQL (yoga.fetch, Pothos, plugin-prisma)': viaGraphQL(page(RANK)),
  'raw pg (same rows, 1 statement)': pgPlayers,
  'raw pg prepared (same rows, 1 named statement)': pgPlayersPrepared,
});
// Where the difference goes: the layer's own work, its rows held in memory, against the raw read.
await compare(
  'players(first: 50) with rank, the GraphQL layer by itself (rows replayed from memory)',
  {
    'GraphQL over replayed rows (no database)': viaGraphQL(page(RANK), env.replayed),
    'raw pg (same rows, 1 statement)': pgPlayers,
  },
  '',
);
await compare('players(first: 50) with rank and rankHistory(limit: 3)', {
  'GraphQL (yoga.fetch, Pothos, plugin-prisma)': viaGraphQL(page(`${RANK} ${HISTORY}`)),
  'raw pg (same rows, 2 statements)': pgPlayersAndHistory,
});
// Apart: interleaved with the GraphQL rounds, Prisma's allocations slowed those by a quarter.
await compare(
  'players(first: 50) with rank through Prisma alone (for scale)',
  {
    'Prisma findMany (same rows, no GraphQL)': viaPrisma,
    'raw pg (same rows, 1 statement)': pgPlayers,
  },
  '',
);

const statements: Record<number, number> = {};
for (const n of [10, 100]) {
  const before = counting.counter.statements;
  await viaGraphQL(page(`${RANK} ${HISTORY}`), counting.graphql)(n);
  statements[n] = counting.counter.statements - before;
}
console.log(
  `SQL statements per request: first 10 → ${statements[10]}, first 100 → ${statements[100]} (${statements[10] === statements[100] ? 'equal' : 'NOT equal'})`,
);

const fanOut = await measureFanOut(graphql, env.pubsub, {
  count: Number(values.subscribers),
  events: Number(values.events),
  warmUp: Number(values['warm-up-events']),
  jobConfigId: 1,
});
console.log(
  `${values.subscribers} graphql-ws subscribers × ${values.events} progress events: ${fanOut.received}/${fanOut.expected} received, ` +
    `latency p50 ${fanOut.p50} ms, p99 ${fanOut.p99} ms, max ${fanOut.max} ms (target p99 < 100 ms), ` +
    `after ${values['warm-up-events']} warm-up events; the first (cold) event: ` +
    `${fanOut.cold.received} received, p50 ${fanOut.cold.p50} ms, p99 ${fanOut.cold.p99} ms`,
);
await env.tearDown();
process.exit(0);
