import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RIOT_METHODS } from '../../../src/riot/endpoints.ts';
import { DEFAULT_SIMULATOR_LIMITS } from '../../../src/riot/simulator/index.ts';
import {
  fetchedIds,
  isListing,
  isMatchFetch,
  matchIdOf,
  perPlayer,
  puuidOf,
  rankedIds,
  startUpdaterWorld,
  storedIdsOf,
  type UpdaterWorld,
} from './updater-harness.ts';

let w: UpdaterWorld;
beforeAll(async () => {
  // match-v5 allows 4 games per 40 s (4 s at this scale): the fifth waits longer than the run has.
  w = await startUpdaterWorld({
    seed: 6,
    timeScale: 0.1,
    timeoutSeconds: 6,
    limits: {
      ...DEFAULT_SIMULATOR_LIMITS,
      methods: {
        ...DEFAULT_SIMULATOR_LIMITS.methods,
        [RIOT_METHODS.match]: [{ limit: 4, windowSeconds: 80 }],
      },
    },
  });
});
afterAll(() => w.stop());

describe('tracked_player_updater and its timeout', () => {
  it('stops before the timeout when the rate budget cannot finish, and the next run resumes', async () => {
    const players = w.simulator.world.trackable(3, 'euw1');
    for (const [i, p] of players.entries()) {
      await w.track(p.puuid);
      await w.db.sql(`UPDATE players SET last_updated = now() - $2::interval WHERE puuid = $1`, [
        p.puuid,
        `${3 - i} hours`,
      ]);
    }
    const { row, sent, received } = await w.run({ max_new_matches_per_player: 3 });

    expect(row.status).toBe('success');
    const took = (row.completed_at?.getTime() ?? 0) - (row.started_at?.getTime() ?? 0);
    expect(took).toBeLessThan(6_000);
    // Requests still queued in the limiter were given up unsent.
    expect(row.api_requests_made).toBe(received);
    expect(fetchedIds(sent)).toHaveLength(4);
    expect(row.progress).toMatchObject({
      phase: expect.stringMatching(/^stopped before the timeout: \d of 3 players left/),
    });
    const log = w.handle.logs.lines.find(
      (l) =>
        l.execution_id === row.id &&
        l.msg === 'Stopped before the timeout: the rest is left for the next run',
    );
    expect(log?.players_left).toBeGreaterThan(0);
    const left = log?.puuids_left as string[];

    // The interrupted player keeps what it stored, and is not marked updated: it goes first next.
    const interrupted = [...perPlayer(sent).keys()].at(-1) as string;
    expect(interrupted).toBe(players[1]?.puuid); // the first one finished with 3 games
    expect(left).toEqual([players[1]?.puuid, players[2]?.puuid]);
    const { rows } = await w.db.sql(
      'SELECT puuid, last_updated, matches_synced_until, pending_match_ids FROM players WHERE is_tracked',
    );
    for (const r of rows) {
      const updatedNow = Date.now() - (r.last_updated as Date).getTime() < 60_000;
      expect(updatedNow).toBe(!left.includes(r.puuid));
    }
    // It fetched one game (the oldest of the three it took); the other two wait, listed, for the
    // next run.
    const [done] = fetchedIds(perPlayer(sent).get(interrupted) ?? []);
    const state = rows.find((r) => r.puuid === interrupted);
    const pending = state?.pending_match_ids as string[];
    expect(pending).toHaveLength(2);
    const played = rankedIds(w.simulator, interrupted);
    expect(played.indexOf(done as string)).toBeGreaterThan(played.indexOf(pending[0] as string));
    const stored = await storedIdsOf(w.db, interrupted);
    expect(stored).toContain(done);
    for (const id of pending) expect(stored).not.toContain(id);
    expect(state?.matches_synced_until).toBeInstanceOf(Date);

    await new Promise((resolve) => setTimeout(resolve, 8_500)); // the match-v5 window empties
    const next = await w.run({ max_new_matches_per_player: 3 });
    expect(next.row.status).toBe('success');
    expect(next.sent.slice(0, 2).map((r) => (isMatchFetch(r) ? matchIdOf(r) : r.path))).toEqual(
      pending,
    );
    expect(next.sent.filter(isListing).map(puuidOf)).not.toContain(interrupted);
    expect(await storedIdsOf(w.db, interrupted)).toEqual(expect.arrayContaining(pending));
  });
});
