import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAccount, rankedIds, startUpdaterWorld, type UpdaterWorld } from './updater-harness.ts';

let w: UpdaterWorld;
beforeAll(async () => {
  w = await startUpdaterWorld({ seed: 6 });
});
afterAll(() => w.stop());

const riotIdOf = async (puuid: string) =>
  (await w.db.sql('SELECT riot_id FROM players WHERE puuid = $1', [puuid])).rows[0]?.riot_id;

describe('tracked_player_updater: Riot IDs', () => {
  it('picks a rename up from the games played after it, without asking account-v1', async () => {
    const world = w.simulator.world;
    const renamer = world.players().find((p) => p.rename && p.rename.at > world.now());
    if (!renamer?.rename) throw new Error('nobody of this world renames later');
    await w.track(renamer.puuid);
    const first = await w.run({ max_new_matches_per_player: 3 });
    expect(first.row.status).toBe('success');
    expect(await riotIdOf(renamer.puuid)).toBe(`${renamer.gameName}#${renamer.tagLine}`);

    world.advance(renamer.rename.at - world.now());
    const before = rankedIds(w.simulator, renamer.puuid)[0];
    while (rankedIds(w.simulator, renamer.puuid)[0] === before) world.advance(world.slotMs);
    const second = await w.run({ max_new_matches_per_player: 3 });
    expect(second.row.status).toBe('success');
    expect(await riotIdOf(renamer.puuid)).toBe(
      `${renamer.rename.gameName}#${renamer.rename.tagLine}`,
    );
    expect(second.sent.filter(isAccount)).toEqual([]);
  });

  it('asks account-v1 once when no game has shown the Riot ID for a day', async () => {
    const [p] = w.simulator.world.trackable(1, 'euw1');
    if (!p) throw new Error('no player');
    await w.db.sql('UPDATE players SET is_tracked = false');
    await w.track(p.puuid);
    await w.run();
    await w.db.sql(
      `UPDATE players SET riot_id = 'Stale#OLD', riot_id_observed_at = now() - interval '25 hours'
       WHERE puuid = $1`,
      [p.puuid],
    );
    const stale = await w.run();
    expect(stale.sent.filter(isAccount)).toHaveLength(1);
    expect(stale.row.records_updated).toBeGreaterThanOrEqual(1);
    expect(await riotIdOf(p.puuid)).toBe(`${p.gameName}#${p.tagLine}`);
    const fresh = await w.run();
    expect(fresh.sent.filter(isAccount)).toEqual([]);
  });
});
