import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  fetchedIds,
  isLeague,
  isListing,
  puuidOf,
  rankedIds,
  startUpdaterWorld,
  storedIdsOf,
  type UpdaterWorld,
} from './updater-harness.ts';

let w: UpdaterWorld;
beforeAll(async () => {
  w = await startUpdaterWorld({ seed: 5 });
});
afterAll(() => w.stop());
beforeEach(async () => {
  await w.db.sql('TRUNCATE players, matches CASCADE');
});

const listed = (sent: { path: string }[]) =>
  (sent as Parameters<typeof isListing>[0][]).filter(isListing).map(puuidOf);

describe('tracked_player_updater limits', () => {
  it('never fetches more than max_new_matches_per_player, and later runs continue oldest first without a gap', async () => {
    const [p] = w.simulator.world.trackable(20, 'euw1').filter((x) => x.kind === 'normal');
    if (!p) throw new Error('no player');
    await w.track(p.puuid);
    const first = await w.run({ max_new_matches_per_player: 2 });
    expect(fetchedIds(first.sent)).toEqual(rankedIds(w.simulator, p.puuid).slice(0, 2).reverse());

    const storedBefore = new Set(await storedIdsOf(w.db, p.puuid));
    w.simulator.world.advance(20 * w.simulator.world.slotMs);
    const all = rankedIds(w.simulator, p.puuid);
    let backlog = all
      .slice(
        0,
        all.findIndex((id) => storedBefore.has(id)),
      )
      .reverse(); // oldest first
    expect(backlog.length).toBeGreaterThan(4);
    const played = [...backlog];
    let runs = 0;
    while (backlog.length > 0) {
      const { row, sent } = await w.run({ max_new_matches_per_player: 2 });
      expect(row.status).toBe('success');
      expect(fetchedIds(sent)).toEqual(backlog.slice(0, 2));
      // Listed once; the rest of the backlog comes from the ids kept then.
      expect(sent.filter(isListing)).toHaveLength(runs === 0 ? 1 : 0);
      backlog = backlog.slice(2);
      // The rank is asked once the player has caught up, not on every step of the backlog.
      expect(sent.filter(isLeague)).toHaveLength(backlog.length === 0 ? 1 : 0);
      runs += 1;
    }
    expect(runs).toBeGreaterThan(2);
    expect(await storedIdsOf(w.db, p.puuid)).toEqual(expect.arrayContaining(played));
    const idle = await w.run({ max_new_matches_per_player: 2 });
    expect(idle.sent.map(isListing)).toEqual([true]);
  });

  it('takes the least recently updated tracked players first (never updated first), max_tracked_players per run', async () => {
    const players = w.simulator.world.trackable(4, 'euw1');
    const ages = [null, '3 days', '1 hour', '2 days'];
    for (const [i, p] of players.entries()) {
      await w.track(p.puuid);
      await w.db.sql(`UPDATE players SET last_updated = now() - $2::interval WHERE puuid = $1`, [
        p.puuid,
        ages[i] ?? '0',
      ]);
    }
    await w.db.sql('UPDATE players SET last_updated = NULL WHERE puuid = $1', [players[0]?.puuid]);
    const order = [0, 1, 3, 2].map((i) => players[i]?.puuid);

    const first = await w.run({ max_tracked_players: 2 });
    expect(first.row.status).toBe('success');
    expect(listed(first.sent)).toEqual(order.slice(0, 2));
    const second = await w.run({ max_tracked_players: 2 });
    expect(listed(second.sent)).toEqual(order.slice(2));
    const { rows } = await w.db.sql(
      `SELECT count(*)::int AS n FROM players WHERE is_tracked AND last_updated > now() - interval '1 minute'`,
    );
    expect(rows[0]?.n).toBe(4);
  });

  it('honours tracking changed by SQL, as the runbook does it', async () => {
    const [p] = w.simulator.world.trackable(1, 'euw1');
    if (!p) throw new Error('no player');
    await w.db.sql(`INSERT INTO players (puuid, platform) VALUES ($1, 'euw1')`, [p.puuid]);
    const untracked = await w.run();
    expect(untracked.row).toMatchObject({ status: 'success', api_requests_made: 0 });

    await w.db.sql(`UPDATE players SET is_tracked = true WHERE puuid = '${p.puuid}'`);
    const tracked = await w.run();
    expect(listed(tracked.sent)).toEqual([p.puuid]);
    expect(tracked.row.records_created).toBeGreaterThan(0);

    await w.db.sql(`UPDATE players SET is_tracked = false WHERE puuid = '${p.puuid}'`);
    const again = await w.run();
    expect(again.row).toMatchObject({ status: 'success', api_requests_made: 0 });
  });
});
