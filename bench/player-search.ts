/**
 * Player search by Riot ID prefix on a large players table: the statements riftwatch sends (a
 * count and a page, through the index on the folded Riot ID) vs the same search worded as ILIKE, which
 * reads every player. Prints milliseconds per search and the ratio.
 * Run: [DATABASE_URL=postgresql://…] node --import tsx bench/player-search.ts
 *   [--players 300000] [--searches 200]
 */
import { parseArgs } from 'node:util';
import { countPlayerRows, readPlayerRows } from '../src/players/player-rows.ts';
import { checkPlayerFilter } from '../src/players/read-models.ts';
import { createBenchDatabase } from './bench-db.ts';
import { runBench } from './bench-run.ts';

const { values } = parseArgs({
  options: {
    players: { type: 'string', default: '300000' },
    searches: { type: 'string', default: '200' },
  },
});
const players = Number(values.players);
const searches = Number(values.searches);

await runBench('player search bench', async (defer) => {
  const db = await createBenchDatabase('rw_bench_search');
  defer(() => db.drop());
  await db.pool.query(
    `INSERT INTO players (puuid, platform, riot_id)
     SELECT lpad(g::text, 78, 'P'), 'euw1', 'Player' || md5(g::text) || '#EUW'
     FROM generate_series(1, $1) g`,
    [players],
  );
  await db.pool.query('ANALYZE players');
  // Prefixes of real names: 'player' and three hex digits (about one player in 4,096 matches).
  const prefixes = Array.from(
    { length: searches },
    (_, i) => `player${(i * 97).toString(16).padStart(3, '0').slice(-3)}`,
  );

  const viaIndex = async (search: string) => {
    const filter = checkPlayerFilter({ search });
    await countPlayerRows(db.pool, filter);
    await readPlayerRows(db.pool, { fields: ['puuid', 'riotId'], filter, take: 51 });
  };
  const viaIlike = async (search: string) => {
    const pattern = `${search}%`;
    await db.pool.query('SELECT count(*)::int FROM players WHERE riot_id ILIKE $1', [pattern]);
    await db.pool.query(
      'SELECT puuid, riot_id FROM players WHERE riot_id ILIKE $1 ORDER BY puuid LIMIT 51',
      [pattern],
    );
  };
  const time = async (run: (search: string) => Promise<void>) => {
    for (const search of prefixes.slice(0, 10)) await run(search);
    const start = performance.now();
    for (const search of prefixes) await run(search);
    return (performance.now() - start) / prefixes.length;
  };
  const indexed = await time(viaIndex);
  const scanned = await time(viaIlike);
  console.log(`Player search (count + page of 50) over ${players} players, ${searches} searches:`);
  console.log(`  riftwatch (folded Riot ID LIKE, index): ${indexed.toFixed(2)} ms per search`);
  console.log(`  ILIKE (reads every player):             ${scanned.toFixed(2)} ms per search`);
  console.log(`  ratio: ${(scanned / indexed).toFixed(1)}× faster`);
});
