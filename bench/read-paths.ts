/**
 * The read paths operators hit (the CLI and REST's GraphQL documents, the dashboard's), timed on
 * a database the size of months of use (see read-paths-seed.ts). Prints the median of 7 requests
 * after 2 warm-ups, per path, through the GraphQL server as clients reach it.
 * Run: [DATABASE_URL=postgresql://…] NODE_ENV=production node --import tsx bench/read-paths.ts
 */
import * as api from '../src/api-client/documents.ts';
import * as dash from '../src/dashboard/documents.ts';
import { createEventBus } from '../src/events/pubsub.ts';
import { silentLogger } from '../src/logger.ts';
import { createBenchDatabase } from './bench-db.ts';
import { runBench } from './bench-run.ts';
import { benchGraphQLServer, startBenchEngine } from './graphql-setup.ts';
import { seedAtScale, seededPuuid } from './read-paths-seed.ts';

await runBench('read paths bench', async (defer) => {
  const db = await createBenchDatabase('rw_bench_read_paths', { poolSize: 4, maxOverflow: 0 });
  defer(() => db.drop());
  const events = createEventBus({ logger: silentLogger() });
  const seeding = performance.now();
  await seedAtScale(db.url);
  console.log(`Seeded in ${((performance.now() - seeding) / 1000).toFixed(0)} s`);
  const engine = await startBenchEngine(db.prisma, db.url, events.pubsub);
  defer(() => engine.stop());
  const server = benchGraphQLServer({
    prisma: db.prisma,
    sql: db.pool,
    engine,
    pubsub: events.pubsub,
  });
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await server.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 300));
    return body.data;
  };

  const heavy = await seededPuuid(db.url, 1000); // tracked, about 5,200 matches
  const tracked = await seededPuuid(db.url, 150_000); // tracked, about 200 matches
  const flagged = await seededPuuid(db.url, 101);
  const MATCHES = `query($p: String!, $after: String) { player(puuid: $p) {
    matches(first: 20, after: $after) { pageInfo { endCursor }
      edges { node { championName kills deaths assists win match { matchId gameStart queueId } } } } } }`;
  let page10: string | null = null;
  for (let i = 0; i < 9; i++) {
    const data = (await gql(MATCHES, { p: heavy, after: page10 })) as {
      player: { matches: { pageInfo: { endCursor: string } } };
    };
    page10 = data.player.matches.pageInfo.endCursor;
  }

  const paths: [string, string, Record<string, unknown>?][] = [
    ['statusOverview', api.STATUS_OVERVIEW],
    ['jobs', api.JOBS],
    ['jobExecutions (first 20)', api.EXECUTIONS],
    ['jobExecutions since 24 h', api.EXECUTIONS, { since: new Date(Date.now() - 86_400_000) }],
    ['jobStats (24 h)', api.JOB_STATS],
    ['players (default page of 20, totalCount)', api.PLAYERS],
    ['players analyzed', api.PLAYERS, { analyzed: true }],
    ['players flagged', api.PLAYERS, { flagged: true }],
    ['players search "Faker"', api.PLAYERS, { search: 'Faker' }],
    ['players search "faker#euw"', api.PLAYERS, { search: 'faker#euw' }],
    ['trackedPlayers', api.TRACKED_PLAYERS],
    ['dashboard overview', dash.OVERVIEW],
    ['dashboard players (tracked + flagged)', dash.PLAYERS],
    ['dashboard player page (5,200 matches)', dash.PLAYER_PAGE, { puuid: heavy }],
    ['dashboard player page (200 matches)', dash.PLAYER_PAGE, { puuid: tracked }],
    ['dashboard player page (flagged)', dash.PLAYER_PAGE, { puuid: flagged }],
    ['matches page 10 (5,200 matches)', MATCHES, { p: heavy, after: page10 }],
  ];
  console.log('Read paths on 300,000 players and 1,000,000 participations (median of 7, ms):');
  for (const [name, document, variables] of paths) {
    const times: number[] = [];
    for (let i = 0; i < 9; i++) {
      const start = performance.now();
      await gql(document, variables);
      if (i >= 2) times.push(performance.now() - start);
    }
    const median = [...times].sort((a, b) => a - b)[times.length >> 1] ?? 0;
    console.log(`  ${name.padEnd(40)} ${median.toFixed(1).padStart(7)}`);
  }
});
