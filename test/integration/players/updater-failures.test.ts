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
  await w.db.sql('TRUNCATE players, matches CASCADE');
});
afterEach(() => w.simulator.faults.clear());

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

  it('a match Riot no longer has is logged and skipped', async () => {
    const [p] = w.simulator.world.trackable(1, 'euw1');
    if (!p) throw new Error('no player');
    await w.track(p.puuid);
    w.simulator.faults.inject(
      { kind: 'status', status: 404 },
      { method: RIOT_METHODS.match, times: 1 },
    );
    const { row, sent } = await w.run({ max_new_matches_per_player: 3 });
    expect(row.status).toBe('success');
    const fetched = fetchedIds(sent);
    expect(fetched).toHaveLength(3);
    expect(row.execution_log).toEqual([
      expect.objectContaining({
        item: expect.stringMatching(/^EUW1_/),
        error: expect.stringMatching(/not found/i),
      }),
    ]);
    const missing = (row.execution_log[0] as { item: string }).item;
    const rest = fetched.filter((id) => id !== missing);
    expect(await storedIdsOf(w.db, p.puuid)).toEqual(expect.arrayContaining(rest));
    expect(await storedIdsOf(w.db, p.puuid)).not.toContain(missing);
    expect(rest).toHaveLength(2);
  });

  it("a skipped match is logged even when the player's later step fails", async () => {
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
          error: 'Match not found (404)',
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
      const { row, sent } = await w.run({ max_new_matches_per_player: 2 });
      expect(row.execution_log).toEqual([
        expect.objectContaining({ error: 'Match not found (404)' }),
      ]);
      // The rank was read a moment ago, and no game it could have changed with was stored.
      expect(sent.filter(isLeague)).toEqual([]);
    }
  });

  it('a match whose payload is unusable is logged and skipped: the player is not held back', async () => {
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
        error: expect.stringMatching(/malformed JSON/),
      });
    }
    const { rows } = await w.db.sql(
      'SELECT pending_match_ids, current_tier, rank_checked_at FROM players WHERE puuid = $1',
      [p.puuid],
    );
    // Not pending (asked for again first on every run, before any newer game), and the rank
    // step ran.
    const logged = (row.execution_log as { item: string }[]).map((e) => e.item);
    for (const id of logged) expect(rows[0]?.pending_match_ids ?? []).not.toContain(id);
    expect(rows[0]?.rank_checked_at).not.toBeNull();
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
