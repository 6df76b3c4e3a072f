import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { configId } from '../jobs/engine-harness.ts';
import { type Loose, startGraphQL } from './harness.ts';
import { ALICE, BOB, CAROL, seedPlayers } from './seed.ts';

let db: TestDatabase;
let g: Awaited<ReturnType<typeof startGraphQL>>;
beforeAll(async () => {
  db = await createTestDatabase();
  await seedPlayers(db);
  g = await startGraphQL(db);
});
afterAll(async () => {
  await g?.stop();
  await db?.drop();
});

const puuids = (r: { data?: Loose }) =>
  r.data?.players.edges.map((e: { node: { puuid: string } }) => e.node.puuid);

describe('players', () => {
  test('player(puuid) with rank, matches newest first, history, analyses and status events', async () => {
    const r = await g.gql(
      `query($p: String!) { player(puuid: $p) {
        id puuid riotId platform isTracked isFlagged rank { tier division leaguePoints wins losses }
        matches(first: 2) { edges { node { kills kda creepScore riotIdAtTheTime match { matchId gameStart } } }
          pageInfo { hasNextPage } }
        rankHistory(queueType: "RANKED_SOLO_5x5") { tier division }
        analyses(limit: 1) { algorithmVersion smurfScore smurfConfidence
          smurfFactors { name score weight explanation details } boostedFactors { name score explanation } }
        accountStatusHistory { previousStatus status evidence } } }`,
      { p: ALICE },
    );
    expect(r.errors).toBeUndefined();
    const p = r.data?.player;
    expect(p).toMatchObject({
      puuid: ALICE,
      riotId: 'Alice#EUW',
      platform: 'euw1',
      isFlagged: true,
    });
    expect(p.rank).toEqual({
      tier: 'GOLD',
      division: 'II',
      leaguePoints: 40,
      wins: 20,
      losses: 10,
    });
    const matches = p.matches.edges.map((e: Loose) => e.node);
    expect(matches.map((m: Loose) => m.match.matchId)).toEqual(['EUW1_1000', 'EUW1_1002']);
    expect(matches[0]).toMatchObject({
      kills: 13,
      kda: 10.5,
      creepScore: 200,
      riotIdAtTheTime: 'Alice#EUW',
    });
    expect(p.matches.pageInfo.hasNextPage).toBe(true);
    expect(p.rankHistory).toEqual([
      { tier: 'GOLD', division: 'II' },
      { tier: 'SILVER', division: 'I' },
    ]);
    expect(p.analyses).toHaveLength(1);
    expect(p.analyses[0].smurfFactors).toEqual([
      {
        name: 'win_rate',
        score: 0.9,
        weight: 0.18,
        explanation: 'Wins 80% of 20 games',
        details: { games: 20 },
      },
    ]);
    expect(p.analyses[0].boostedFactors).toEqual([
      { name: 'duo_dependence', score: 0.4, explanation: 'Plays 60% of games with one partner' },
    ]);
    expect(p.accountStatusHistory).toEqual([
      { previousStatus: 'active', status: 'renamed', evidence: { from: 'Alicia#EUW' } },
    ]);
    const node = await g.gql('query($id: ID!) { node(id: $id) { ... on Player { puuid } } }', {
      id: p.id,
    });
    expect(node.data?.node).toEqual({ puuid: ALICE });
  });

  test('player(puuid) of an unknown player is null', async () => {
    const r = await g.gql('{ player(puuid: "' + 'Z'.repeat(78) + '") { puuid } }');
    expect(r).toEqual({ data: { player: null } });
  });

  test('players filters: tracked, analyzed, flagged, platform, Riot ID prefix search', async () => {
    const q = `query($t: Boolean, $a: Boolean, $f: Boolean, $pl: String, $s: String) {
      players(tracked: $t, analyzed: $a, flagged: $f, platform: $pl, search: $s) {
        totalCount edges { node { puuid } } } }`;
    expect(puuids(await g.gql(q, {}))).toEqual([ALICE, BOB, CAROL]);
    expect(puuids(await g.gql(q, { t: true }))).toEqual([ALICE, CAROL]);
    expect(puuids(await g.gql(q, { t: false }))).toEqual([BOB]);
    expect(puuids(await g.gql(q, { a: true }))).toEqual([ALICE]);
    expect(puuids(await g.gql(q, { f: false }))).toEqual([BOB, CAROL]);
    expect(puuids(await g.gql(q, { pl: 'KR' }))).toEqual([BOB]);
    expect(puuids(await g.gql(q, { s: 'ali' }))).toEqual([ALICE]);
    expect(puuids(await g.gql(q, { s: 'bob#kr' }))).toEqual([BOB]);
    // LIKE wildcards are literal: "%" matches only Carol's tag, "_" matches nobody.
    expect(puuids(await g.gql(q, { s: 'Carol#100%' }))).toEqual([CAROL]);
    expect(puuids(await g.gql(q, { s: '_' }))).toEqual([]);
    expect((await g.gql(q, { t: true })).data?.players.totalCount).toBe(2);
  });

  test('players pages forward with cursors', async () => {
    const q = `query($after: String) { players(first: 2, after: $after) {
      edges { cursor node { puuid } } pageInfo { hasNextPage endCursor } } }`;
    const first = await g.gql(q);
    expect(puuids(first)).toEqual([ALICE, BOB]);
    expect(first.data?.players.pageInfo.hasNextPage).toBe(true);
    const second = await g.gql(q, { after: first.data?.players.pageInfo.endCursor });
    expect(puuids(second)).toEqual([CAROL]);
    expect(second.data?.players.pageInfo.hasNextPage).toBe(false);
  });

  test('trackedPlayers lists the tracked ones', async () => {
    const r = await g.gql('{ trackedPlayers { puuid isTracked } }');
    expect(r.data?.trackedPlayers.map((p: Loose) => p.puuid).sort()).toEqual([ALICE, CAROL]);
  });
});

describe('jobs and executions', () => {
  test('jobs and job(id): parsed schedule, next run, last run; global and numeric ids', async () => {
    const updater = await configId(db, 'tracked_player_updater');
    await db.sql(`UPDATE job_configurations SET schedule = '5 minutes' WHERE id = $1`, [updater]);
    await g.engine.reconcile();
    const r = await g.gql(
      '{ jobs { id databaseId jobType name isActive schedule scheduleDescription nextRunAt config } }',
    );
    const job = r.data?.jobs.find((j: Loose) => j.databaseId === updater);
    expect(job).toMatchObject({
      jobType: 'tracked_player_updater',
      isActive: true,
      schedule: '5 minutes',
      scheduleDescription: 'every 300 s',
    });
    expect(Date.parse(job.nextRunAt)).toBeGreaterThan(Date.now());
    const byGlobal = await g.gql('query($id: ID!) { job(id: $id) { databaseId } }', { id: job.id });
    const byNumber = await g.gql('query($id: ID!) { job(id: $id) { databaseId } }', {
      id: String(updater),
    });
    expect(byGlobal.data?.job).toEqual({ databaseId: updater });
    expect(byNumber.data?.job).toEqual({ databaseId: updater });
    expect((await g.gql('{ job(id: "9999") { databaseId } }')).data?.job).toBeNull();
  });

  test('jobExecutions filters, jobExecution progress and log, jobStats, statusOverview', async () => {
    const analyzer = await configId(db, 'player_analyzer');
    const retention = await configId(db, 'execution_retention');
    const { rows } = await db.sql<{ id: number }>(
      `INSERT INTO job_executions (job_config_id, status, trigger, started_at, completed_at, api_requests_made, progress, execution_log)
       VALUES ($1, 'success', 'manual', now() - interval '10 seconds', now(), 12,
               '{"phase":"players","processed":3,"total":5,"updatedAt":"2026-01-01T00:00:00.000Z"}',
               '[{"at":"2026-01-01T00:00:00.000Z","item":"player X","error":"boom"}]'),
              ($1, 'failed', 'schedule', now() - interval '4 seconds', now(), 4, NULL, '[]'),
              ($2, 'success', 'schedule', now() - interval '2 days', now() - interval '2 days', 0, NULL, '[]')
       RETURNING id`,
      [analyzer, retention],
    );
    const [okId, failedId] = rows.map((r) => r.id);
    const list = await g.gql(
      'query($j: ID, $s: ExecutionStatus) { jobExecutions(jobId: $j, status: $s) { totalCount edges { node { databaseId status trigger jobType } } } }',
      { j: String(analyzer) },
    );
    expect(list.data?.jobExecutions.edges.map((e: Loose) => e.node.databaseId)).toEqual([
      failedId,
      okId,
    ]);
    const failed = await g.gql(
      'query($j: ID, $s: ExecutionStatus) { jobExecutions(jobId: $j, status: $s) { edges { node { databaseId } } } }',
      { j: String(analyzer), s: 'failed' },
    );
    expect(failed.data?.jobExecutions.edges).toEqual([{ node: { databaseId: failedId } }]);
    const one = await g.gql(
      'query($id: ID!) { jobExecution(id: $id) { status apiRequestsMade durationSeconds jobName progress { phase processed total updatedAt } log { at item error } } }',
      { id: String(okId) },
    );
    expect(one.data?.jobExecution).toMatchObject({
      status: 'success',
      apiRequestsMade: 12,
      jobName: 'Player Analyzer',
      progress: { phase: 'players', processed: 3, total: 5, updatedAt: '2026-01-01T00:00:00.000Z' },
      log: [{ at: '2026-01-01T00:00:00.000Z', item: 'player X', error: 'boom' }],
    });
    expect(one.data?.jobExecution.durationSeconds).toBeCloseTo(10, 0);
    const stats = await g.gql(
      '{ jobStats { jobType totalExecutions successful failed successRate avgApiRequests maxApiRequests } }',
    );
    expect(stats.data?.jobStats).toContainEqual({
      jobType: 'player_analyzer',
      totalExecutions: 2,
      successful: 1,
      failed: 1,
      successRate: 0.5,
      avgApiRequests: 8,
      maxApiRequests: 12,
    });
    // The retention run is 2 days old: outside the default 24 h, inside a 3-day window.
    expect(stats.data?.jobStats.map((s: Loose) => s.jobType)).not.toContain('execution_retention');
    const since = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const wide = await g.gql('query($s: DateTime) { jobStats(since: $s) { jobType } }', {
      s: since,
    });
    expect(wide.data?.jobStats.map((s: Loose) => s.jobType)).toContain('execution_retention');
  });

  test('statusOverview: scheduler, jobs with last run, running executions, rate limits', async () => {
    await g.pair.client.getAccountByPuuid('europe', ALICE).catch(() => {});
    const r = await g.gql(`{ statusOverview { at scheduler { enabled workerId }
      jobs { name lastRun { status } nextRunAt } runningExecutions { databaseId }
      rateLimits { routing windows { scope limit used windowSeconds percentage } } } }`);
    const s = r.data?.statusOverview;
    expect(s.scheduler).toEqual({ enabled: true, workerId: g.engine.workerId });
    expect(s.jobs).toHaveLength(3);
    expect(s.runningExecutions).toEqual([]);
    const europe = s.rateLimits.find((u: Loose) => u.routing === 'europe');
    expect(europe.windows.find((w: Loose) => w.scope === 'app').used).toBeGreaterThanOrEqual(1);
  });
});
