import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RIOT_METHODS } from '../../../src/riot/endpoints.ts';
import {
  fetchedIds,
  isLeague,
  isListing,
  rankedIds,
  startUpdaterWorld,
  storedIdsOf,
  type UpdaterWorld,
} from './updater-harness.ts';

let w: UpdaterWorld;
beforeAll(async () => {
  w = await startUpdaterWorld({ seed: 4, world: { platforms: ['euw1', 'eun1'] } });
});
afterAll(() => w.stop());
beforeEach(async () => {
  await w.db.sql('TRUNCATE players, matches, match_fetch_failures CASCADE');
});
afterEach(() => w.simulator.faults.clear());

async function pendingOf(puuid: string) {
  const { rows } = await w.db.sql(
    'SELECT pending_match_ids, matches_synced_until FROM players WHERE puuid = $1',
    [puuid],
  );
  return {
    pending: (rows[0]?.pending_match_ids ?? []) as string[],
    syncedUntil: (rows[0]?.matches_synced_until ?? null) as Date | null,
  };
}

async function startOf(matchId: string): Promise<Date> {
  const { rows } = await w.db.sql('SELECT game_start FROM matches WHERE match_id = $1', [matchId]);
  return rows[0]?.game_start as Date;
}

/** A game's start as the simulator has it (stored or not). */
function startOfGame(matchId: string): Date {
  return new Date(w.simulator.world.match(matchId)?.gameStartTimestamp ?? 0);
}

describe('tracked_player_updater failures', () => {
  it("one player's failure is logged and the run goes on with the others", async () => {
    const [good] = w.simulator.world.trackable(1, 'euw1');
    const [eune] = w.simulator.world.trackable(1, 'eun1');
    if (!good || !eune) throw new Error('no players');
    await w.track(good.puuid);
    await w.track(eune.puuid, 'eun1');
    await w.track('not-a-real-puuid');
    // league-v4 on eun1 answers 500 to every attempt: that player's rank step fails.
    w.simulator.faults.inject(
      { kind: 'status', status: 500 },
      { method: RIOT_METHODS.leagueEntriesByPuuid, routing: 'eun1' },
    );
    const { row, received } = await w.run({ max_new_matches_per_player: 3 });
    expect(row.status).toBe('success');
    expect(row.api_requests_made).toBe(received);
    expect(row.execution_log).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          item: 'not-a-real-puuid',
          error: expect.stringMatching(/decrypting/),
        }),
        expect.objectContaining({ item: eune.puuid, error: expect.stringMatching(/500/) }),
      ]),
    );
    expect(row.execution_log).toHaveLength(2);
    const { rows } = await w.db.sql(
      'SELECT puuid, current_tier, matches_synced_until, last_updated FROM players WHERE is_tracked',
    );
    const byPuuid = new Map(rows.map((r) => [r.puuid, r]));
    expect(byPuuid.get(good.puuid)?.current_tier).not.toBeNull();
    // The failing player's matches were stored before its rank step failed, and kept.
    expect(await storedIdsOf(w.db, eune.puuid)).toEqual(
      expect.arrayContaining(rankedIds(w.simulator, eune.puuid).slice(0, 3)),
    );
    expect(byPuuid.get(eune.puuid)?.matches_synced_until).not.toBeNull();
    expect(byPuuid.get(eune.puuid)?.current_tier).toBeNull();
    for (const r of rows) expect(r.last_updated).not.toBeNull();
  });

  it('a match whose fetch fails is logged by its id, holds the watermark, and is stored once Riot answers', async () => {
    const [p] = w.simulator.world.trackable(1, 'euw1');
    if (!p) throw new Error('no player');
    await w.track(p.puuid);
    w.simulator.faults.inject(
      { kind: 'status', status: 404 },
      { method: RIOT_METHODS.match, times: 1 },
    );
    const first = await w.run({ max_new_matches_per_player: 3 });
    expect(first.row.status).toBe('success');
    expect(fetchedIds(first.sent)).toHaveLength(3);
    expect(first.row.execution_log).toEqual([
      expect.objectContaining({
        item: expect.stringMatching(/^EUW1_/),
        error: expect.stringMatching(
          /not found \(404\) \(attempt 1; asked for again in 1 min or later\)/,
        ),
      }),
    ]);
    const missing = (first.row.execution_log[0] as { item: string }).item;
    expect(await storedIdsOf(w.db, p.puuid)).not.toContain(missing);
    expect(await storedIdsOf(w.db, p.puuid)).toHaveLength(2);
    expect((await pendingOf(p.puuid)).pending).toContain(missing);

    // Not asked for again before its wait is over.
    const waiting = await w.run({ max_new_matches_per_player: 3 });
    expect(fetchedIds(waiting.sent)).not.toContain(missing);
    expect(waiting.row.execution_log).toEqual([]);

    await w.db.sql("UPDATE match_fetch_failures SET last_failed_at = now() - interval '2 minutes'");
    const retried = await w.run({ max_new_matches_per_player: 3 });
    expect(fetchedIds(retried.sent)).toContain(missing);
    expect(retried.row.execution_log).toEqual([]);
    expect(await storedIdsOf(w.db, p.puuid)).toContain(missing);
    expect((await pendingOf(p.puuid)).pending).toEqual([]);
    expect((await w.db.sql('SELECT * FROM match_fetch_failures')).rows).toEqual([]);
  });

  it('a match still failing a day after its first failure is given up: the watermark moves past it for good', async () => {
    const [p] = w.simulator.world.trackable(1, 'euw1');
    if (!p) throw new Error('no player');
    await w.track(p.puuid);
    const [newest, gone, oldest] = rankedIds(w.simulator, p.puuid);
    if (!newest || !gone || !oldest) throw new Error('too few games');
    w.simulator.faults.inject(
      { kind: 'status', status: 404 },
      { method: RIOT_METHODS.match, pathEndsWith: gone },
    );
    await w.run({ max_new_matches_per_player: 3 });
    const held = await pendingOf(p.puuid);
    expect(held.pending).toEqual([gone, newest]);
    const oldestStart = await startOf(oldest);
    expect(held.syncedUntil).toEqual(oldestStart);

    await w.db.sql(`UPDATE match_fetch_failures SET first_failed_at = now() - interval '25 hours',
      last_failed_at = now() - interval '2 hours'`);
    const { row, sent } = await w.run({ max_new_matches_per_player: 3 });
    expect(fetchedIds(sent)).toEqual([gone]);
    expect(row.execution_log).toEqual([
      expect.objectContaining({
        item: gone,
        error: expect.stringMatching(/not found.*\(given up: 2 failed attempts over 24 h\)/i),
      }),
    ]);
    const after = await pendingOf(p.puuid);
    expect(after.pending).toEqual([]);
    expect(after.syncedUntil).toEqual(await startOf(newest));

    // Kept again (as a run that stopped before listing would keep it), it is passed over unasked.
    await w.db.sql(
      'UPDATE players SET matches_synced_until = NULL, pending_match_ids = $2 WHERE puuid = $1',
      [p.puuid, [gone]],
    );
    const again = await w.run({ max_new_matches_per_player: 3 });
    expect(fetchedIds(again.sent)).toEqual([]);
    expect(again.row.execution_log).toEqual([]);
  });

  it("a match answering 503 on every attempt stops its player for the run, but not the player's later games", async () => {
    const [p] = w.simulator.world.trackable(1, 'euw1');
    if (!p) throw new Error('no player');
    await w.track(p.puuid);
    await w.run({ max_new_matches_per_player: 3 });
    const [newestStored] = await storedIdsOf(w.db, p.puuid);
    const newGames = () => {
      const ids = rankedIds(w.simulator, p.puuid);
      return ids.slice(0, ids.indexOf(newestStored as string));
    };
    while (newGames().length < 4) w.simulator.world.advance(w.simulator.world.slotMs);
    const [bad, ...later] = newGames().reverse();
    if (!bad) throw new Error('no new game');
    w.simulator.faults.inject(
      { kind: 'status', status: 503 },
      { method: RIOT_METHODS.match, pathEndsWith: bad },
    );
    const failing = await w.run({ max_new_matches_per_player: 10 });
    expect(failing.row.execution_log).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ item: bad, error: expect.stringMatching(/503.*attempt 1/) }),
        expect.objectContaining({ item: p.puuid, error: expect.stringMatching(/503/) }),
      ]),
    );
    // The next run lists again, and stores the later games while the failing one waits.
    const next = await w.run({ max_new_matches_per_player: 10 });
    expect(next.sent.filter(isListing).length).toBeGreaterThan(0);
    expect(fetchedIds(next.sent)).not.toContain(bad);
    expect(next.row.execution_log).toEqual([]);
    const now = await storedIdsOf(w.db, p.puuid);
    for (const id of later) expect(now).toContain(id);
    expect(now).not.toContain(bad);
    // The watermark waits before it; nothing but it is left, so the rank is read.
    const held = await pendingOf(p.puuid);
    expect(held.pending[0]).toBe(bad);
    expect(held.syncedUntil?.getTime()).toBeLessThan(startOfGame(bad).getTime());
    expect(next.sent.filter(isLeague)).toHaveLength(1);
  });

  it("a failed match is logged even when the player's later step fails", async () => {
    const [p] = w.simulator.world.trackable(1, 'euw1');
    if (!p) throw new Error('no player');
    await w.track(p.puuid);
    w.simulator.faults.inject(
      { kind: 'status', status: 404 },
      { method: RIOT_METHODS.match, times: 1 },
    );
    w.simulator.faults.inject(
      { kind: 'status', status: 500 },
      { method: RIOT_METHODS.leagueEntriesByPuuid },
    );
    const { row } = await w.run({ max_new_matches_per_player: 3 });
    expect(row.execution_log).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          item: expect.stringMatching(/^EUW1_/),
          error: expect.stringMatching(/not found \(404\)/),
        }),
        expect.objectContaining({ item: p.puuid, error: expect.stringMatching(/500/) }),
      ]),
    );
  });

  it('a newest match that is gone is asked for again, but does not count as a new ranked game', async () => {
    const [p] = w.simulator.world.trackable(1, 'euw1');
    if (!p) throw new Error('no player');
    await w.track(p.puuid);
    await w.run({ max_new_matches_per_player: 2 });
    const games = () => w.simulator.world.matchIds(p.puuid)?.length ?? 0;
    const before = games();
    while (games() === before) w.simulator.world.advance(w.simulator.world.slotMs);
    w.simulator.faults.inject({ kind: 'status', status: 404 }, { method: RIOT_METHODS.match });
    for (let run = 0; run < 2; run++) {
      await w.db.sql("UPDATE match_fetch_failures SET last_failed_at = now() - interval '1 hour'");
      const { row, sent } = await w.run({ max_new_matches_per_player: 2 });
      expect(row.execution_log).toEqual([
        expect.objectContaining({ error: expect.stringMatching(/not found \(404\)/) }),
      ]);
      // The rank was read a moment ago, and no game it could have changed with was stored.
      expect(sent.filter(isLeague)).toEqual([]);
    }
  });

  it('a payload still malformed after the retries is asked for again later, not skipped: a blip loses nothing', async () => {
    const [p] = w.simulator.world.trackable(1, 'euw1');
    if (!p) throw new Error('no player');
    await w.track(p.puuid);
    // Every match answers 200 with a body cut short, retries included.
    w.simulator.faults.inject({ kind: 'malformed-json' }, { method: RIOT_METHODS.match });
    const { row } = await w.run({ max_new_matches_per_player: 3 });
    expect(row.status).toBe('success');
    expect(row.execution_log).toHaveLength(3);
    for (const entry of row.execution_log as { item: string; error: string }[]) {
      expect(entry).toMatchObject({
        item: expect.stringMatching(/^EUW1_/),
        error: expect.stringMatching(/malformed JSON.*attempt 1/),
      });
    }
    const logged = (row.execution_log as { item: string }[]).map((e) => e.item);
    // Nothing but failed games is left: the rank step ran.
    const { rows } = await w.db.sql('SELECT rank_checked_at FROM players WHERE puuid = $1', [
      p.puuid,
    ]);
    expect(rows[0]?.rank_checked_at).not.toBeNull();

    w.simulator.faults.clear();
    await w.db.sql("UPDATE match_fetch_failures SET last_failed_at = now() - interval '2 minutes'");
    const retried = await w.run({ max_new_matches_per_player: 3 });
    expect(retried.row.execution_log).toEqual([]);
    expect(await storedIdsOf(w.db, p.puuid)).toEqual(expect.arrayContaining(logged));
    expect((await pendingOf(p.puuid)).pending).toEqual([]);
  });

  for (const status of [401, 403]) {
    it(`a ${status} fails the run, saying the key is invalid or expired`, async () => {
      const [p] = w.simulator.world.trackable(1, 'euw1');
      await w.track(p?.puuid as string);
      w.simulator.faults.inject({ kind: 'status', status });
      const { row, sent, received } = await w.run();
      expect(row.status).toBe('failed');
      expect(row.error_message).toMatch(/Riot API key is invalid or expired/);
      expect(row.error_message).toContain(String(status));
      // Not retried, and nothing after it.
      expect(row.api_requests_made).toBe(1);
      expect(received).toBe(1);
      expect(sent.every(isListing)).toBe(true);
    });
  }
});
