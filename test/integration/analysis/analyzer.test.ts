import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectDuePlayers } from '../../../src/analysis/due-players.ts';
import type { PlayerFlaggedEvent } from '../../../src/events/pubsub.ts';
import { RIOT_METHODS } from '../../../src/riot/endpoints.ts';
import { waitFor } from '../jobs/engine-harness.ts';
import { startUpdaterWorld, type UpdaterWorld } from '../players/updater-harness.ts';

let w: UpdaterWorld;

beforeAll(async () => {
  w = await startUpdaterWorld({ world: { playersPerPlatform: 40, historySlots: 60 } });
});
afterAll(async () => {
  await w.stop();
});

/**
 * Simulated players inserted as discovered (not analysed), oldest discovery first; no analysed
 * player is due again (a test that wants one says so).
 */
async function discover(count: number, offset = 0): Promise<string[]> {
  await w.db.sql('UPDATE players SET new_matches_since_analysis = 0 WHERE is_analyzed');
  const players = w.simulator.world.trackable(offset + count, 'euw1').slice(offset);
  for (const [i, p] of players.entries()) {
    await w.db.sql(
      `INSERT INTO players (puuid, platform, riot_id, discovered_at)
       VALUES ($1, 'euw1', $2, now() - make_interval(hours => $3))
       ON CONFLICT (puuid) DO UPDATE SET discovered_at = EXCLUDED.discovered_at,
         is_analyzed = false, new_matches_since_analysis = 0, rank_checked_at = NULL`,
      [p.puuid, `${p.gameName}#${p.tagLine}`, 100 - i],
    );
  }
  return players.map((p) => p.puuid);
}

/**
 * A player of no simulated world, due for analysis on its stored games alone (its rank checked
 * just now): `count` solo games at an hour's interval, of which the newest `remakes` are remade.
 */
async function storedPlayer(puuid: string, count: number, remakes = 0): Promise<void> {
  await w.db.sql(
    `INSERT INTO players (puuid, platform, current_tier, current_rank, current_lp, rank_checked_at,
       discovered_at)
     VALUES ($1, 'euw1', 'GOLD', 'II', 50, now(), now() - interval '1000 hours')`,
    [puuid],
  );
  await w.db.sql(
    `INSERT INTO matches (match_id, platform, queue_id, game_creation, game_start, game_duration_seconds)
     SELECT $1 || '_' || n, 'euw1', 420, t, t, CASE WHEN n > $2 - $3 THEN 200 ELSE 1800 END
     FROM generate_series(1, $2) n, LATERAL (SELECT now() - make_interval(hours => $2 - n + 1) AS t) x`,
    [puuid, count, remakes],
  );
  await w.db.sql(
    `INSERT INTO match_participants (match_id, puuid, participant_id, team_id, win, champion_id,
       champion_name, kills, deaths, assists, total_minions_killed, neutral_minions_killed,
       gold_earned, total_damage_dealt_to_champions, vision_score, champ_level, game_start,
       queue_id, team_position, game_ended_in_early_surrender)
     SELECT m.match_id, $1, 1, 100, n % 2 = 0, 1, 'Annie', 5, 4, 6, 180, 0, 12000, 20000, 25, 15,
       m.game_start, 420, 'MIDDLE', n > $2 - $3
     FROM generate_series(1, $2) n JOIN matches m ON m.match_id = $1 || '_' || n`,
    [puuid, count, remakes],
  );
}

const analyses = async (puuid: string) =>
  (
    await w.db.sql<{ status: string; smurf_confidence: string; games_analyzed: number }>(
      'SELECT status, smurf_confidence, games_analyzed FROM player_analyses WHERE puuid = $1 ORDER BY id',
      [puuid],
    )
  ).rows;

describe('player_analyzer', () => {
  it('analyses the oldest discovered players first, fetching rank and history, one row each', async () => {
    const [first, second, third] = await discover(3);
    const row = (
      await w.runJob('player_analyzer', { unanalyzed_players_per_run: 2, history_games: 12 })
    ).row;
    expect(row.status).toBe('success');
    expect(await analyses(first as string)).toHaveLength(1);
    expect(await analyses(second as string)).toHaveLength(1);
    expect(await analyses(third as string)).toHaveLength(0);
    const analysed = await analyses(first as string);
    expect(analysed[0]).toMatchObject({ status: 'ok' });
    expect(analysed[0]?.games_analyzed).toBeGreaterThanOrEqual(10);
    const { rows } = await w.db.sql<{ is_analyzed: boolean; current_tier: string | null }>(
      'SELECT is_analyzed, current_tier FROM players WHERE puuid = $1',
      [first],
    );
    expect(rows[0]).toMatchObject({ is_analyzed: true });
    expect(rows[0]?.current_tier).not.toBeNull();
    expect(row.api_requests_made).toBeGreaterThan(0);
    expect(row.records_created).toBeGreaterThanOrEqual(2);
  });

  it('re-analyses a player once enough new matches are stored, after the never-analysed ones', async () => {
    const { rows } = await w.db.sql<{ puuid: string }>(
      'SELECT puuid FROM players WHERE is_analyzed ORDER BY last_analyzed_at LIMIT 1',
    );
    const again = (rows[0] as { puuid: string }).puuid;
    await w.db.sql('UPDATE players SET new_matches_since_analysis = 5 WHERE puuid = $1', [again]);
    const before = (await analyses(again)).length;
    // No history fetch: matches stored meanwhile would count as new again.
    (await w.runJob('player_analyzer', { unanalyzed_players_per_run: 500, history_games: 0 })).row;
    expect(await analyses(again)).toHaveLength(before + 1);
    const counter = await w.db.sql<{ n: number }>(
      'SELECT new_matches_since_analysis AS n FROM players WHERE puuid = $1',
      [again],
    );
    expect(counter.rows[0]?.n).toBe(0);
  });

  it("a player's own history, fetched for its analysis, does not make it due again", async () => {
    const [fresh] = await discover(1, 20);
    await w.db.sql('UPDATE players SET is_analyzed = true WHERE puuid <> $1', [fresh]);
    const before = (await analyses(fresh as string)).length;
    await w.runJob('player_analyzer', { unanalyzed_players_per_run: 1, history_games: 12 });
    const { rows } = await w.db.sql<{ n: number; analysed: boolean }>(
      'SELECT new_matches_since_analysis AS n, is_analyzed AS analysed FROM players WHERE puuid = $1',
      [fresh],
    );
    expect(rows[0]).toEqual({ n: 0, analysed: true });
    expect(await analyses(fresh as string)).toHaveLength(before + 1);
  });

  it('never-analysed players and re-analyses each get unanalyzed_players_per_run slots', async () => {
    const { rows } = await w.db.sql<{ puuid: string }>(
      'SELECT puuid FROM players WHERE is_analyzed ORDER BY last_analyzed_at LIMIT 1',
    );
    const again = (rows[0] as { puuid: string }).puuid;
    const [oldest, next] = (await discover(4, 24)) as [string, string];
    await w.db.sql('UPDATE players SET new_matches_since_analysis = 30 WHERE puuid = $1', [again]);
    const before = [again, oldest, next].map(async (p) => (await analyses(p)).length);
    const [againBefore, oldestBefore, nextBefore] = await Promise.all(before);
    await w.runJob('player_analyzer', { unanalyzed_players_per_run: 1, history_games: 0 });
    expect(await analyses(again)).toHaveLength((againBefore as number) + 1);
    expect(await analyses(oldest)).toHaveLength((oldestBefore as number) + 1);
    expect(await analyses(next)).toHaveLength(nextBefore as number);
  });

  it('counts as stored games only those detection counts: a remake leaves the history to fetch', async () => {
    const [player] = await discover(1, 28);
    await w.runJob('player_analyzer', { unanalyzed_players_per_run: 1, history_games: 12 });
    await w.db.sql('UPDATE players SET is_analyzed = false WHERE puuid = $1', [player]);
    // A claim already lapsed: the player is taken again by the second read.
    const stored = async () =>
      (
        await selectDuePlayers(w.db.prisma, {
          limit: 500,
          reanalyzeAfter: 1000,
          queues: [420],
          claimUntil: new Date(0),
        })
      ).find((p) => p.puuid === player)?.storedGames;
    const before = (await stored()) as number;
    expect(before).toBeGreaterThan(0);
    await w.db.sql(
      `UPDATE match_participants SET game_ended_in_early_surrender = true
       WHERE ctid = (SELECT ctid FROM match_participants WHERE puuid = $1 AND queue_id = 420 LIMIT 1)`,
      [player],
    );
    expect(await stored()).toBe(before - 1);
  });

  it('stores insufficient data as such, never as "not a smurf", and keeps the player unflagged', async () => {
    const [few] = await discover(1, 10);
    (await w.runJob('player_analyzer', { min_games: 60, history_games: 5 })).row;
    expect((await analyses(few as string)).at(-1)).toMatchObject({
      status: 'insufficient_data',
      smurf_confidence: 'insufficient_data',
    });
    const { rows } = await w.db.sql<{ smurf_score: number | null; is_flagged: boolean }>(
      `SELECT a.smurf_score, p.is_flagged FROM player_analyses a JOIN players p USING (puuid)
       WHERE a.puuid = $1 ORDER BY a.id DESC LIMIT 1`,
      [few],
    );
    expect(rows[0]).toEqual({ smurf_score: null, is_flagged: false });
  });

  it('judges a player at a min_games above the games read by default, remakes not counted', async () => {
    const player = 'G'.repeat(78);
    await w.db.sql('UPDATE players SET is_analyzed = true, new_matches_since_analysis = 0');
    // 60 games that count, and two newer remakes: enough, so no history is fetched.
    await storedPlayer(player, 62, 2);
    const { row } = await w.runJob('player_analyzer', { min_games: 60, history_games: 0 });
    expect(row.status).toBe('success');
    expect((await analyses(player)).at(-1)).toMatchObject({ status: 'ok', games_analyzed: 60 });
  });

  it('a player whose analysis and retry time both fail stays claimed, not due again at once', async () => {
    const [failing, saved] = ['F'.repeat(78), 'S'.repeat(78)];
    await w.db.sql('UPDATE players SET is_analyzed = true, new_matches_since_analysis = 0');
    await storedPlayer(failing, 12);
    await storedPlayer(saved, 12);
    // Its analysis row is refused, and so is its retry time (a later time over its own claim).
    await w.db.sql(
      `CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_TABLE_NAME = 'player_analyses' OR (OLD.analysis_not_before > now()
             AND NEW.analysis_not_before IS NOT NULL) THEN
           RAISE EXCEPTION 'refused for the test';
         END IF;
         RETURN NEW;
       END $$;
       CREATE TRIGGER refuse_analysis BEFORE INSERT ON player_analyses
         FOR EACH ROW WHEN (NEW.puuid = '${failing}') EXECUTE FUNCTION refuse();
       CREATE TRIGGER refuse_retry BEFORE UPDATE ON players
         FOR EACH ROW WHEN (NEW.puuid = '${failing}') EXECUTE FUNCTION refuse();`,
    );
    try {
      const { row } = await w.runJob('player_analyzer', { history_games: 0 });
      expect(row.status).toBe('success');
      expect(row.execution_log).toEqual([expect.objectContaining({ item: failing })]);
      expect(await analyses(saved)).toHaveLength(1);
      const { rows } = await w.db.sql<{ claimed: boolean }>(
        'SELECT analysis_not_before > now() AS claimed FROM players WHERE puuid = $1',
        [failing],
      );
      expect(rows[0]?.claimed).toBe(true);
    } finally {
      await w.db.sql(
        `DROP TRIGGER refuse_analysis ON player_analyses; DROP TRIGGER refuse_retry ON players;
         DROP FUNCTION refuse();`,
      );
      await w.db.sql(
        'UPDATE players SET is_analyzed = true, analysis_not_before = NULL WHERE puuid = $1',
        [failing],
      );
    }
  });

  it('flags players at min_smurf_confidence and publishes playerFlagged', async () => {
    const [target] = await discover(1, 12);
    const events: PlayerFlaggedEvent[] = [];
    const iterator = w.handle.pubsub.subscribe('playerFlagged')[Symbol.asyncIterator]();
    const collecting = (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        events.push(next.value);
      }
    })();
    (await w.runJob('player_analyzer', { min_smurf_confidence: 0, history_games: 12 })).row;
    await waitFor(async () => events.some((e) => e.puuid === target), 2000, 'flagged event');
    await iterator.return?.();
    await collecting;
    const { rows } = await w.db.sql<{ is_flagged: boolean }>(
      'SELECT is_flagged FROM players WHERE puuid = $1',
      [target],
    );
    expect(rows[0]?.is_flagged).toBe(true);
  });

  it('a player whose Riot fetch fails is not judged without it: it waits an hour, then is analysed', async () => {
    const [failing, ok] = (await discover(2, 20)) as [string, string];
    const before = [(await analyses(failing)).length, (await analyses(ok)).length];
    // The first player's rank request fails past the client's retry; the next one's does not.
    w.simulator.faults.inject(
      { kind: 'status', status: 500 },
      { method: RIOT_METHODS.leagueEntriesByPuuid, times: 2 },
    );
    const row = (
      await w.runJob('player_analyzer', { unanalyzed_players_per_run: 2, history_games: 12 })
    ).row;
    expect(row.status).toBe('success');
    expect(row.execution_log).toEqual([expect.objectContaining({ item: failing })]);
    // Held back, not left over by a run that ran out of time.
    expect(row.progress).toMatchObject({
      phase: 'done: 1 analysed, 1 waiting an hour after a failed fetch',
    });
    expect([(await analyses(failing)).length, (await analyses(ok)).length]).toEqual([
      before[0],
      (before[1] as number) + 1,
    ]);
    const waiting = await w.db.sql<{ is_analyzed: boolean; wait_minutes: number }>(
      `SELECT is_analyzed, (extract(epoch FROM analysis_not_before - now()) / 60)::float8 AS wait_minutes
       FROM players WHERE puuid = $1`,
      [failing],
    );
    expect(waiting.rows[0]?.is_analyzed).toBe(false);
    expect(waiting.rows[0]?.wait_minutes).toBeGreaterThan(55);

    // Not taken while it waits, even when it is the only player due.
    await w.db.sql('UPDATE players SET is_analyzed = true WHERE puuid <> $1', [failing]);
    await w.runJob('player_analyzer', { unanalyzed_players_per_run: 2, history_games: 12 });
    expect(await analyses(failing)).toHaveLength(before[0] as number);

    // An hour later: fetched again, and judged with its rank.
    await w.db.sql(
      "UPDATE players SET analysis_not_before = now() - interval '1 second' WHERE puuid = $1",
      [failing],
    );
    await w.runJob('player_analyzer', { unanalyzed_players_per_run: 2, history_games: 12 });
    expect((await analyses(failing)).at(-1)).toMatchObject({ status: 'ok' });
    const after = await w.db.sql<{ current_tier: string | null; analysis_not_before: Date | null }>(
      'SELECT current_tier, analysis_not_before FROM players WHERE puuid = $1',
      [failing],
    );
    expect(after.rows[0]?.current_tier).not.toBeNull();
    expect(after.rows[0]?.analysis_not_before).toBeNull();
  });

  it('a player whose history games failed to arrive, too few stored, waits an hour rather than be judged', async () => {
    const [player] = (await discover(1, 34)) as [string];
    const before = (await analyses(player)).length;
    // Half of the history's payloads are malformed: they are asked for again later.
    w.simulator.faults.inject({ kind: 'malformed-json' }, { method: RIOT_METHODS.match, times: 6 });
    const row = (
      await w.runJob('player_analyzer', {
        unanalyzed_players_per_run: 1,
        history_games: 12,
        min_games: 10,
      })
    ).row;
    w.simulator.faults.clear();
    expect(row.progress).toMatchObject({ phase: expect.stringMatching(/1 waiting an hour/) });
    expect(await analyses(player)).toHaveLength(before);
    const waiting = await w.db.sql<{ is_analyzed: boolean; wait_minutes: number }>(
      `SELECT is_analyzed, (extract(epoch FROM analysis_not_before - now()) / 60)::float8 AS wait_minutes
       FROM players WHERE puuid = $1`,
      [player],
    );
    expect(waiting.rows[0]?.is_analyzed).toBe(false);
    expect(waiting.rows[0]?.wait_minutes).toBeGreaterThan(55);
    await w.db.sql(
      'UPDATE players SET analysis_not_before = NULL, is_analyzed = true WHERE puuid = $1',
      [player],
    );
  });

  it('a run in which no due player could be fetched is a failed run', async () => {
    const players = await discover(2, 20);
    const clear = w.simulator.faults.inject(
      { kind: 'status', status: 500 },
      { method: RIOT_METHODS.leagueEntriesByPuuid },
    );
    const { row } = await w
      .runJob('player_analyzer', { unanalyzed_players_per_run: 2, history_games: 12 })
      .finally(clear);
    expect(row.status).toBe('failed');
    expect(row.error_message).toMatch(/^No player could be analysed \(2 failed\)/);
    expect(row.execution_log).toHaveLength(2);
    // Out of the way of the tests after: they wait an hour otherwise.
    await w.db.sql(
      'UPDATE players SET analysis_not_before = NULL, is_analyzed = true WHERE puuid = ANY($1)',
      [players],
    );
  });

  it('a gone account is judged on what is stored (Riot will answer the same later)', async () => {
    const [gone] = (await discover(1, 22)) as [string];
    const before = (await analyses(gone)).length;
    w.simulator.faults.inject(
      { kind: 'status', status: 404 },
      { method: RIOT_METHODS.leagueEntriesByPuuid, times: 1 },
    );
    const row = (
      await w.runJob('player_analyzer', { unanalyzed_players_per_run: 1, history_games: 12 })
    ).row;
    expect(row.execution_log).toEqual([expect.objectContaining({ item: gone })]);
    expect(await analyses(gone)).toHaveLength(before + 1);
  });

  it('two analyzer configurations running at once never analyse one player twice', async () => {
    const players = await discover(6, 24);
    await w.db.sql('UPDATE players SET is_analyzed = true WHERE NOT (puuid = ANY($1))', [players]);
    const second = await w.db.sql<{ id: number }>(
      `INSERT INTO job_configurations (job_type, name, is_active, schedule)
       VALUES ('player_analyzer', 'second analyzer', false, '0 * * * *') RETURNING id`,
    );
    const ids = [
      (
        await w.db.sql<{ id: number }>(
          "SELECT id FROM job_configurations WHERE job_type = 'player_analyzer' ORDER BY id LIMIT 1",
        )
      ).rows[0]?.id as number,
      second.rows[0]?.id as number,
    ];
    const counts = async () =>
      Promise.all(players.map(async (puuid) => (await analyses(puuid)).length));
    const before = await counts();
    try {
      const config = JSON.stringify({ unanalyzed_players_per_run: 6, history_games: 12 });
      await w.db.sql('UPDATE job_configurations SET config_json = $1 WHERE id = ANY($2)', [
        config,
        ids,
      ]);
      const runs = await Promise.all(ids.map((id) => w.handle.engine.enqueue(id)));
      await waitFor(
        async () => {
          const { rows } = await w.db.sql<{ n: number }>(
            `SELECT count(*)::int AS n FROM job_executions
             WHERE id = ANY($1) AND status IN ('success', 'failed', 'cancelled')`,
            [runs],
          );
          return rows[0]?.n === 2 ? true : null;
        },
        60_000,
        'both analyzer runs',
      );
      expect(await counts()).toEqual(before.map((n) => n + 1));
      const claimed = await w.db.sql<{ n: number }>(
        'SELECT count(*)::int AS n FROM players WHERE analysis_not_before IS NOT NULL',
      );
      expect(claimed.rows[0]?.n).toBe(0);
    } finally {
      await w.db.sql('DELETE FROM job_executions WHERE job_config_id = $1', [ids[1]]);
      await w.db.sql('DELETE FROM job_configurations WHERE id = $1', [ids[1]]);
    }
  });

  it('an invalid or expired key fails the run with a message saying so', async () => {
    await discover(1, 16);
    w.simulator.faults.inject({ kind: 'status', status: 403 }, { method: '*' });
    try {
      const row = (await w.runJob('player_analyzer', { history_games: 12 })).row;
      expect(row).toMatchObject({
        status: 'failed',
        error_message: expect.stringContaining('invalid or expired'),
      });
    } finally {
      w.simulator.faults.clear();
    }
  });
});
