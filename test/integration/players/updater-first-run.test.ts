import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackablePlayer } from '../../../src/riot/simulator/index.ts';
import {
  fetchedIds,
  isAccount,
  isLeague,
  isListing,
  perPlayer,
  rankedIds,
  startUpdaterWorld,
  storedIdsOf,
  type UpdaterWorld,
} from './updater-harness.ts';

let w: UpdaterWorld;
let tracked: TrackablePlayer[];
const count = async (sql: string) => (await w.db.sql<{ n: number }>(sql)).rows[0]?.n as number;

beforeAll(async () => {
  w = await startUpdaterWorld();
  tracked = w.simulator.world.trackable(4, 'euw1').slice(1, 4);
  for (const p of tracked) await w.track(p.puuid);
});
afterAll(() => w.stop());

describe('tracked_player_updater, first and later runs', () => {
  it('first run: the newest games of each tracked player, each fetched once, with participants, discoveries and ranks', async () => {
    const { row, sent, received } = await w.run({ max_new_matches_per_player: 5 });
    expect(row.status).toBe('success');
    // Every request counted, and exactly what the simulator received.
    expect(row.api_requests_made).toBe(received);
    expect(sent).toHaveLength(received);

    const ids = fetchedIds(sent);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of tracked) {
      const stored = await storedIdsOf(w.db, p.puuid);
      expect(stored).toEqual(expect.arrayContaining(rankedIds(w.simulator, p.puuid).slice(0, 5)));
      const mine = perPlayer(sent).get(p.puuid) ?? [];
      expect(mine.filter(isListing)).toHaveLength(1);
      expect(fetchedIds(mine).length).toBeLessThanOrEqual(5);
      expect(mine.filter(isLeague)).toHaveLength(1);
      // The newest game showed the Riot ID: no account-v1 request.
      expect(mine.filter(isAccount)).toHaveLength(0);
    }
    expect(await count('SELECT count(*)::int AS n FROM matches')).toBe(ids.length);
    expect(
      await count(`SELECT count(*)::int AS n FROM (SELECT match_id FROM match_participants
        GROUP BY match_id HAVING count(*) <> 10) odd`),
    ).toBe(0);
    expect(
      await count(`SELECT count(*)::int AS n FROM matches WHERE raw->'metadata'->>'matchId' <> match_id
        OR jsonb_array_length(raw->'info'->'participants') <> 10`),
    ).toBe(0);

    // Discovered: every participant is a player, untracked, unanalysed, due for analysis once
    // per stored game, with the Riot ID of their newest stored game.
    const discovered = await count('SELECT count(*)::int AS n FROM players WHERE NOT is_tracked');
    expect(discovered).toBe(
      (await count('SELECT count(DISTINCT puuid)::int AS n FROM match_participants')) - 3,
    );
    expect(
      await count(`SELECT count(*)::int AS n FROM players p WHERE is_analyzed OR platform <> 'euw1'
        OR new_matches_since_analysis <> (SELECT count(*) FROM match_participants mp WHERE mp.puuid = p.puuid)
        OR riot_id IS DISTINCT FROM (SELECT riot_id_game_name || '#' || riot_id_tagline
          FROM match_participants mp WHERE mp.puuid = p.puuid ORDER BY game_start DESC LIMIT 1)`),
    ).toBe(0);

    for (const p of tracked) {
      const [entry] = w.simulator.world.leagueEntries('euw1', p.puuid);
      const { rows } = await w.db.sql(
        `SELECT current_tier, current_rank, current_lp, current_wins, current_losses,
           (SELECT count(*)::int FROM rank_snapshots s WHERE s.puuid = p.puuid) AS snapshots
         FROM players p WHERE puuid = $1`,
        [p.puuid],
      );
      expect(rows[0]).toEqual({
        current_tier: entry?.tier,
        current_rank: entry?.rank,
        current_lp: entry?.leaguePoints,
        current_wins: entry?.wins,
        current_losses: entry?.losses,
        snapshots: 1,
      });
    }
    expect(row.records_created).toBe(ids.length + discovered + 3);
    expect(row.progress).toMatchObject({ phase: expect.stringMatching(/^done/), total: 3 });
  });

  it('later run: lists from the newest synced game and fetches only the games played since', async () => {
    const { rows: before } = await w.db.sql<{ puuid: string; matches_synced_until: Date }>(
      'SELECT puuid, matches_synced_until FROM players WHERE is_tracked',
    );
    const storedBefore = new Set(
      (await w.db.sql<{ match_id: string }>('SELECT match_id FROM matches')).rows.map(
        (r) => r.match_id,
      ),
    );
    w.simulator.world.advance(3 * w.simulator.world.slotMs);
    const { row, sent, received } = await w.run({ max_new_matches_per_player: 5 });
    expect(row.status).toBe('success');
    expect(row.api_requests_made).toBe(received);
    for (const { puuid, matches_synced_until } of before) {
      const [listing] = perPlayer(sent).get(puuid) ?? [];
      expect(listing?.query.get('startTime')).toBe(
        String(Math.floor(matches_synced_until.getTime() / 1000)),
      );
      expect(listing?.query.get('queue')).toBe('420');
    }
    const ids = fetchedIds(sent);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => storedBefore.has(id))).toEqual([]);
    for (const p of tracked) {
      const all = rankedIds(w.simulator, p.puuid);
      const played = all.slice(
        0,
        all.findIndex((id) => storedBefore.has(id)),
      );
      expect(played.length).toBeGreaterThan(0);
      expect(played.length).toBeLessThanOrEqual(5); // within the cap: all of them this run
      expect(await storedIdsOf(w.db, p.puuid)).toEqual(expect.arrayContaining(played));
    }
  });

  it('an idle run costs one listing per player and stores nothing', async () => {
    const { row, sent } = await w.run({ max_new_matches_per_player: 5 });
    expect(row).toMatchObject({ status: 'success', api_requests_made: 3, records_created: 0 });
    expect(sent.every(isListing)).toBe(true);
  });

  it('two tracked players who played the same game cost one fetch of it', async () => {
    await w.db.sql('TRUNCATE players, matches CASCADE');
    const pool = w.simulator.world.trackable(20, 'euw1');
    const newest = (puuid: string) => rankedIds(w.simulator, puuid).slice(0, 3);
    const pair = pool
      .flatMap((a, i) => pool.slice(i + 1).map((b) => [a, b] as const))
      .find(([a, b]) => newest(a.puuid).some((id) => newest(b.puuid).includes(id)));
    if (!pair) throw new Error('no two players of the world share a recent game');
    const shared = newest(pair[0].puuid).filter((id) => newest(pair[1].puuid).includes(id));
    for (const p of pair) await w.track(p.puuid);
    const { row, sent } = await w.run({ max_new_matches_per_player: 3 });
    expect(row.status).toBe('success');
    const ids = fetchedIds(sent);
    for (const id of shared) expect(ids.filter((x) => x === id)).toHaveLength(1);
    for (const p of pair) {
      expect(await storedIdsOf(w.db, p.puuid)).toEqual(expect.arrayContaining(shared));
    }
  });
});
