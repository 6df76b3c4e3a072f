import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { selectDuePlayers } from '../../../src/analysis/due-players.ts';
import { countingPrisma } from '../../helpers/counting-prisma.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

it('re-analyses are read in their order from an index, not sorted from every due player', async () => {
  // Most analysed players are due: a plan without the index would sort them all.
  await db.sql(
    `INSERT INTO players (puuid, platform, is_analyzed, last_analyzed_at, new_matches_since_analysis)
     SELECT 'p' || i, 'euw1', true, now() - make_interval(mins => i), i % 13
     FROM generate_series(1, 50000) i`,
  );
  await db.sql('ANALYZE players');
  const counting = countingPrisma(db.url);
  try {
    const due = await selectDuePlayers(counting.prisma, {
      limit: 15,
      reanalyzeAfter: 5,
      queues: [420],
      claimUntil: new Date(Date.now() + 60_000),
    });
    expect(due).toHaveLength(15);
    const text = counting.counter.texts.find((t) => t.includes('WITH due'));
    if (!text) throw new Error('the due players query was not sent');
    // As a prepared statement's generic plan: the threshold is a parameter, not a known value.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(`PREPARE due AS ${text}`);
      await client.query('SET plan_cache_mode = force_generic_plan');
      const plan = await client.query(`EXPLAIN EXECUTE due(15, 5, 15, '{420}', 300)`);
      const lines = plan.rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
      expect(lines).toContain('players_reanalysis_due_idx');
      expect(lines).not.toMatch(/Sort Key: [\w.]*last_analyzed_at/);
    } finally {
      await client.end();
    }
  } finally {
    await counting.prisma.$disconnect();
    await counting.pool.end();
  }
});
