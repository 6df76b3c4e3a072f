import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseJobConfig } from '../../../src/jobs/engine/index.ts';
import { createJobRegistry } from '../../../src/jobs/registry.ts';

const jobRegistry = createJobRegistry({ executionRetentionDays: 30 });

import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { RUNBOOK_PATH, runbookStatement, runbookStatements } from '../../helpers/runbook.ts';

const statements = runbookStatements();
const sqlOf = (fragment: string) => runbookStatement(statements, fragment);

// Sample data: three players (one is the runbook's literal 'abc123...'), executions inside and
// outside the last 24 hours, a stuck running row and a rate-limit failure.
const SAMPLE = `
INSERT INTO players (puuid, game_name, tag_line, riot_id, summoner_name, platform, is_tracked, is_analyzed, current_tier, current_rank, last_updated)
VALUES ('abc123...', 'Faker', 'KR1', 'Faker#KR1', 'Faker', 'kr', false, true, 'CHALLENGER', 'I', now()),
       ('tracked-1', 'Ünïcødé', 'EUW', 'Ünïcødé#EUW', 'Ünïcødé', 'euw1', true, true, 'GOLD', 'II', now() - interval '5 minutes'),
       ('found-1', 'Someone', 'NA1', 'Someone#NA1', 'Someone', 'na1', false, false, NULL, NULL, NULL);
INSERT INTO job_executions (job_config_id, status, trigger, started_at, completed_at, api_requests_made, records_created, error_message)
SELECT c.id, v.status, 'schedule', now() - v.ago, now() - v.ago + v.took, v.requests, v.created, v.error
FROM (VALUES
  ('tracked_player_updater', 'success', interval '3 hours', interval '10 seconds', 40, 5, NULL),
  ('tracked_player_updater', 'success', interval '2 hours', interval '20 seconds', 60, 7, NULL),
  ('tracked_player_updater', 'success', interval '1 hour',  interval '30 seconds', 80, 9, NULL),
  ('tracked_player_updater', 'failed',  interval '30 minutes', interval '60 seconds', 100, 0, 'Riot API rate limit exceeded (application)'),
  ('tracked_player_updater', 'success', interval '30 hours', interval '99 seconds', 999, 1, NULL),
  ('player_analyzer',        'success', interval '50 minutes', interval '4 seconds', 12, 3, NULL)
) AS v(job_type, status, ago, took, requests, created, error)
JOIN job_configurations c ON c.job_type = v.job_type;
INSERT INTO job_executions (job_config_id, status, trigger, started_at)
SELECT id, 'running', 'schedule', now() - interval '2 hours' FROM job_configurations WHERE job_type = 'player_analyzer';
`;

describe('every SQL statement of the runbook runs verbatim with the effect it describes', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.sql('TRUNCATE players, job_executions CASCADE');
    await db.sql(`UPDATE job_configurations SET is_active = true,
      config_json = CASE job_type
        WHEN 'tracked_player_updater' THEN '{"max_new_matches_per_player": 20, "max_tracked_players": 10}'::jsonb
        WHEN 'player_analyzer' THEN '{"unanalyzed_players_per_run": 15, "min_smurf_confidence": 0.5, "ban_check_days": 7}'::jsonb
        ELSE config_json END`);
    await db.sql(SAMPLE);
  });

  it('finds all 20 statements, and the repo copy of the runbook is the shared one', () => {
    expect(statements).toHaveLength(20);
    const shared = new URL('../../../../shared/spec/job-operations-runbook.md', import.meta.url);
    let original: string | null = null;
    try {
      original = readFileSync(shared, 'utf8');
    } catch {
      // shared/ is beside the checkout on the team's machines; a lone clone has only the copy.
    }
    if (original !== null) expect(readFileSync(RUNBOOK_PATH, 'utf8')).toBe(original);
  });

  it('views the seeded job configurations', async () => {
    const { rows } = await db.sql(
      sqlOf('SELECT id, job_type, name, is_active, schedule, config_json'),
    );
    expect(rows.map((r) => [r.job_type, r.is_active])).toEqual([
      ['tracked_player_updater', true],
      ['player_analyzer', true],
      ['execution_retention', true],
    ]);
    expect(rows[0]?.config_json).toEqual({
      max_new_matches_per_player: 20,
      max_tracked_players: 10,
    });
    expect(rows[1]?.config_json).toEqual({
      unanalyzed_players_per_run: 15,
      min_smurf_confidence: 0.5,
      ban_check_days: 7,
    });
  });

  it('disables one job, and lists only the active ones', async () => {
    await db.sql(sqlOf("SET is_active = false WHERE job_type = 'tracked_player_updater'"));
    const { rows } = await db.sql(sqlOf('SELECT * FROM job_configurations WHERE is_active = true'));
    expect(rows.map((r) => r.job_type).sort()).toEqual(['execution_retention', 'player_analyzer']);
  });

  it('replaces config_json with a partial object, and jsonb_set changes one key', async () => {
    await db.sql(sqlOf(`'{"max_new_matches_per_player": 30}'`));
    const partial = await db.sql(
      `SELECT config_json FROM job_configurations WHERE job_type = 'tracked_player_updater'`,
    );
    expect(partial.rows[0]?.config_json).toEqual({ max_new_matches_per_player: 30 });
    // The job reads it through its config schema: the missing key falls back to its default.
    expect(
      parseJobConfig(jobRegistry.tracked_player_updater, partial.rows[0]?.config_json),
    ).toEqual({
      ok: true,
      config: { max_new_matches_per_player: 30, max_tracked_players: 10, queues: [420] },
    });
    await db.sql(sqlOf('jsonb_set'));
    const set = await db.sql(
      `SELECT config_json FROM job_configurations WHERE job_type = 'tracked_player_updater'`,
    );
    expect(set.rows[0]?.config_json).toEqual({ max_new_matches_per_player: 10 });
  });

  it('lists recent executions newest first with their job type', async () => {
    const { rows } = await db.sql(sqlOf('ORDER BY je.started_at DESC'));
    expect(rows).toHaveLength(7);
    expect(rows[0]).toMatchObject({
      job_type: 'tracked_player_updater',
      status: 'failed',
      api_requests_made: 100,
    });
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'id',
      'job_type',
      'status',
      'started_at',
      'completed_at',
      'api_requests_made',
      'records_created',
      'error_message',
    ]);
  });

  it('computes the 24 h statistics: counts and average duration', async () => {
    const { rows } = await db.sql(sqlOf('avg_duration_seconds'));
    const byType = Object.fromEntries(rows.map((r) => [r.job_type, r]));
    expect(byType.tracked_player_updater).toMatchObject({
      total_executions: '4',
      successful: '3',
      failed: '1',
    });
    expect(Number(byType.tracked_player_updater.avg_duration_seconds)).toBeCloseTo(30, 6);
    expect(byType.player_analyzer).toMatchObject({
      total_executions: '2',
      successful: '1',
      failed: '0',
    });
    expect(Number(byType.player_analyzer.avg_duration_seconds)).toBeCloseTo(4, 6);
  });

  it('computes the 24 h API request usage per job type', async () => {
    const { rows } = await db.sql(sqlOf('avg_requests'));
    const byType = Object.fromEntries(rows.map((r) => [r.job_type, r]));
    expect(Number(byType.tracked_player_updater.avg_requests)).toBe(70);
    expect(byType.tracked_player_updater.max_requests).toBe(100);
  });

  it('finds rate-limit failures', async () => {
    const { rows } = await db.sql(sqlOf("LIKE '%rate limit%'"));
    expect(rows).toEqual([{ error_message: 'Riot API rate limit exceeded (application)' }]);
  });

  it('tracks, lists and untracks a player by PUUID', async () => {
    const list = () =>
      db.sql(sqlOf('WHERE is_tracked = true')).then((r) => r.rows.map((p) => p.puuid).sort());
    expect(await list()).toEqual(['tracked-1']);
    await db.sql(sqlOf('SET is_tracked = true WHERE'));
    expect(await list()).toEqual(['abc123...', 'tracked-1']);
    const columns = Object.keys((await db.sql(sqlOf('WHERE is_tracked = true'))).rows[0] ?? {});
    expect(columns).toEqual([
      'puuid',
      'summoner_name',
      'riot_id',
      'current_tier',
      'current_rank',
      'last_updated',
    ]);
    await db.sql(sqlOf('SET is_tracked = false WHERE'));
    expect(await list()).toEqual(['tracked-1']);
  });

  it('diagnoses stuck jobs and fails the ones older than an hour', async () => {
    const stuck = await db.sql(sqlOf('NOW() - started_at as duration'));
    expect(stuck.rows).toHaveLength(1);
    expect(stuck.rows[0]?.duration.hours).toBe(2);
    const result = await db.sql(sqlOf('Job timeout - manually marked as failed'));
    expect(result.rowCount).toBe(1);
    const { rows } = await db.sql(
      `SELECT status, completed_at FROM job_executions WHERE error_message = 'Job timeout - manually marked as failed'`,
    );
    expect(rows[0]?.status).toBe('failed');
    expect(rows[0]?.completed_at).toBeInstanceOf(Date);
  });

  it('shows the indexes the jobs rely on', async () => {
    const { rows } = await db.sql(sqlOf('pg_indexes'));
    const names = rows.map((r) => r.indexname);
    expect(names).toEqual(
      expect.arrayContaining([
        'players_pkey',
        'players_tracked_last_updated_idx',
        'players_unanalyzed_discovered_at_idx',
        'matches_pkey',
        'matches_game_start_idx',
        'job_executions_pkey',
        'job_executions_started_at_idx',
        'job_executions_one_running_per_config',
      ]),
    );
  });

  it('counts active connections', async () => {
    const { rows } = await db.sql(sqlOf('pg_stat_activity'));
    expect(Number(rows[0]?.count)).toBeGreaterThanOrEqual(1);
  });

  it('runs the emergency procedures: disable all, emergency stop, reset state', async () => {
    await db.sql(sqlOf('UPDATE job_configurations SET is_active = false'));
    const active = await db.sql(
      'SELECT count(*)::int AS n FROM job_configurations WHERE is_active',
    );
    expect(active.rows[0]?.n).toBe(0);

    const stop = await db.sql(sqlOf('Emergency stop'));
    expect(stop.rowCount).toBe(1);
    const running = await db.sql(
      `SELECT count(*)::int AS n FROM job_executions WHERE status = 'running'`,
    );
    expect(running.rows[0]?.n).toBe(0);

    await db.sql(sqlOf('TRUNCATE TABLE job_executions CASCADE'));
    await db.sql(sqlOf('SET is_tracked = false, is_analyzed = false'));
    const left = await db.sql(`SELECT
      (SELECT count(*)::int FROM job_executions) AS executions,
      (SELECT count(*)::int FROM job_configurations) AS configurations,
      (SELECT count(*)::int FROM players WHERE is_tracked OR is_analyzed) AS flagged_players,
      (SELECT count(*)::int FROM players) AS players`);
    expect(left.rows[0]).toEqual({
      executions: 0,
      configurations: 3,
      flagged_players: 0,
      players: 3,
    });
  });

  it('enforces one running execution per configuration in the database', async () => {
    await expect(
      db.sql(`INSERT INTO job_executions (job_config_id, status, trigger, started_at)
              SELECT id, 'running', 'manual', now() FROM job_configurations WHERE job_type = 'player_analyzer'`),
    ).rejects.toThrow(/job_executions_one_running_per_config/);
    await expect(db.sql(`UPDATE job_executions SET status = 'RUNNING'`)).rejects.toThrow(
      /status_check/,
    );
  });
});
