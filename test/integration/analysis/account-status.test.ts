import { afterAll, describe, expect, it } from 'vitest';
import { playerAnalyzerConfig } from '../../../src/analysis/analyzer-job.ts';
import { checkDueAccounts } from '../../../src/analysis/check-accounts.ts';
import type { JobContext } from '../../../src/jobs/engine/index.ts';
import type { RiotClient } from '../../../src/riot/client.ts';
import { RiotNotFoundError } from '../../../src/riot/errors.ts';
import type { SimPlayer } from '../../../src/riot/simulator/world-players.ts';
import { createTestDatabase } from '../../helpers/database.ts';
import { startUpdaterWorld, type UpdaterWorld } from '../players/updater-harness.ts';

const worlds: UpdaterWorld[] = [];
afterAll(async () => {
  for (const w of worlds) await w.stop();
});

async function flagged(w: UpdaterWorld, player: SimPlayer, riotId: string) {
  await w.db.sql(
    `INSERT INTO players (puuid, platform, riot_id, game_name, tag_line, is_flagged, is_analyzed)
     VALUES ($1, $2, $3, split_part($3, '#', 1), split_part($3, '#', 2), true, true)`,
    [player.puuid, player.platform, riotId],
  );
}

async function statusOf(w: UpdaterWorld, puuid: string) {
  const player = await w.db.sql<{ account_status: string; riot_id: string; checked: boolean }>(
    'SELECT account_status, riot_id, last_ban_check IS NOT NULL AS checked FROM players WHERE puuid = $1',
    [puuid],
  );
  const events = await w.db.sql<{ previous_status: string; status: string; evidence: object }>(
    'SELECT previous_status, status, evidence FROM account_status_events WHERE puuid = $1 ORDER BY id',
    [puuid],
  );
  return { ...player.rows[0], events: events.rows };
}

const pick = (w: UpdaterWorld, test: (p: SimPlayer) => boolean, what: string): SimPlayer => {
  const found = w.simulator.world.players().find((p) => p.platform === 'euw1' && test(p));
  if (!found) throw new Error(`the seeded world has no ${what}`);
  return found;
};
const riotIdOf = (p: SimPlayer) => `${p.gameName}#${p.tagLine}`;

describe('account-status checks of flagged players', () => {
  it('records not_found, no_lol_profile and renamed with their evidence; an active account stays quiet', async () => {
    const w = await startUpdaterWorld({ world: { playersPerPlatform: 200, historySlots: 5 } });
    worlds.push(w);
    const now = w.simulator.world.now();
    const deleted = pick(w, (p) => p.deletedAt !== null, 'deleted account');
    const left = pick(w, (p) => p.leftLolAt !== null, 'account without a League profile');
    const renamer = pick(w, (p) => (p.rename?.at ?? 0) > now, 'upcoming rename');
    const active = pick(
      w,
      (p) => p.kind === 'normal' && !p.rename && !p.deletedAt && !p.leftLolAt,
      'plain account',
    );
    for (const p of [deleted, left, renamer, active]) await flagged(w, p, riotIdOf(p));
    // Past every deletion, departure and rename of the seeded world.
    w.simulator.world.advance(61 * w.simulator.world.slotMs);
    const row = (
      await w.runJob('player_analyzer', { history_games: 0, unanalyzed_players_per_run: 10 })
    ).row;
    expect(row.status).toBe('success');

    expect(await statusOf(w, deleted.puuid)).toMatchObject({
      account_status: 'not_found',
      events: [
        {
          previous_status: 'active',
          status: 'not_found',
          evidence: { source: 'account-v1 by PUUID', http_status: 404 },
        },
      ],
    });
    expect(await statusOf(w, left.puuid)).toMatchObject({
      account_status: 'no_lol_profile',
      events: [{ status: 'no_lol_profile', evidence: { source: 'summoner-v4 by PUUID' } }],
    });
    const renamed = renamer.rename as { gameName: string; tagLine: string };
    expect(await statusOf(w, renamer.puuid)).toMatchObject({
      account_status: 'renamed',
      riot_id: `${renamed.gameName}#${renamed.tagLine}`,
      events: [
        {
          status: 'renamed',
          evidence: {
            renamed_from: riotIdOf(renamer),
            renamed_to: `${renamed.gameName}#${renamed.tagLine}`,
          },
        },
      ],
    });
    expect(await statusOf(w, active.puuid)).toMatchObject({
      account_status: 'active',
      checked: true,
      events: [],
    });
    // Checked: not again before ban_check_days.
    const again = (await w.runJob('player_analyzer', { history_games: 0 })).row;
    expect(again.api_requests_made).toBe(0);
  });

  it('records inactive when no game was seen for inactive_after_days', async () => {
    const w = await startUpdaterWorld({
      seed: 9,
      world: { playersPerPlatform: 20, historySlots: 5, presentMs: Date.now() - 20 * 86_400_000 },
    });
    worlds.push(w);
    const idle = pick(w, (p) => !p.rename && !p.deletedAt && !p.leftLolAt, 'plain account');
    await flagged(w, idle, riotIdOf(idle));
    (await w.runJob('player_analyzer', { history_games: 0, inactive_after_days: 5 })).row;
    expect(await statusOf(w, idle.puuid)).toMatchObject({
      account_status: 'inactive',
      events: [{ status: 'inactive', evidence: { inactive_after_days: 5 } }],
    });
  });

  it('inactive means no ranked game for inactive_after_days: normals and a fresh profile do not count', async () => {
    // One game a day at most; the newest slot began a day and a half ago.
    const dayMs = 86_400_000;
    const w = await startUpdaterWorld({
      seed: 13,
      world: {
        playersPerPlatform: 60,
        historySlots: 10,
        slotMinutes: 24 * 60,
        presentMs: Date.now() - dayMs / 2,
      },
    });
    worlds.push(w);
    const newestGame = (p: SimPlayer) => w.simulator.world.matchIds(p.puuid)?.[0];
    const lastSlot = w.simulator.world.now() - dayMs;
    const playedLast = (p: SimPlayer, queueId: number) => {
      const game = newestGame(p);
      return game !== undefined && game.gameStartTimestamp >= lastSlot && game.queueId === queueId;
    };
    const plain = (p: SimPlayer) => !p.rename && !p.deletedAt && !p.leftLolAt;
    const normalsOnly = pick(w, (p) => plain(p) && playedLast(p, 400), 'normal game last');
    const ranked = pick(w, (p) => plain(p) && playedLast(p, 420), 'ranked game last');
    for (const p of [normalsOnly, ranked]) await flagged(w, p, riotIdOf(p));
    const run = await w.runJob('player_analyzer', { history_games: 0, inactive_after_days: 2 });
    expect(run.row.status).toBe('success');
    expect(await statusOf(w, normalsOnly.puuid)).toMatchObject({
      account_status: 'inactive',
      events: [{ status: 'inactive', evidence: { last_ranked_game_at: null } }],
    });
    expect(await statusOf(w, ranked.puuid)).toMatchObject({ account_status: 'active', events: [] });
  });

  it('a check that keeps failing waits its turn: the other flagged players are checked', async () => {
    const w = await startUpdaterWorld({
      seed: 11,
      world: { playersPerPlatform: 20, historySlots: 5 },
    });
    worlds.push(w);
    const [other] = w.simulator.world
      .players()
      .filter((p) => p.platform === 'euw1' && !p.deletedAt);
    if (!other) throw new Error('the seeded world has no euw1 player');
    // First in line (never checked, lowest PUUID), and failing every time: Riot answers 400.
    const broken = { ...other, puuid: '0'.repeat(78) };
    await flagged(w, broken, 'Broken#0000');
    await flagged(w, other, riotIdOf(other));
    w.simulator.faults.inject({ kind: 'status', status: 400 }, { method: '*', times: 1_000 });
    const first = (
      await w.runJob('player_analyzer', { history_games: 0, unanalyzed_players_per_run: 1 })
    ).row;
    expect(first.execution_log).toEqual([expect.objectContaining({ item: broken.puuid })]);
    w.simulator.faults.clear();
    await w.runJob('player_analyzer', { history_games: 0, unanalyzed_players_per_run: 1 });
    expect((await statusOf(w, other.puuid)).checked).toBe(true);
    // Its last check is still the last one that answered: none.
    expect((await statusOf(w, broken.puuid)).checked).toBe(false);
  });

  it('two runs checking at once claim their checks: each player is checked once, one event', async () => {
    const db = await createTestDatabase();
    try {
      await db.sql(
        `INSERT INTO players (puuid, platform, riot_id, is_flagged, is_analyzed)
         VALUES ('flagged-1', 'euw1', 'A#EUW', true, true), ('flagged-2', 'euw1', 'B#EUW', true, true)`,
      );
      let requests = 0;
      const riot = {
        getAccountByPuuid: async () => {
          requests += 1;
          await new Promise((resolve) => setTimeout(resolve, 100));
          throw new RiotNotFoundError('Data not found');
        },
      } as unknown as RiotClient;
      const ctx = {
        logger: { info() {}, warn() {} },
        progress() {},
        count() {},
        itemFailed(_: string, error: unknown) {
          throw error;
        },
        signal: new AbortController().signal,
      } as unknown as JobContext;
      const config = playerAnalyzerConfig.parse({});
      const run = () =>
        checkDueAccounts({ prisma: db.prisma, riot }, ctx, config, {
          reached: () => false,
        } as never);
      await Promise.all([run(), run()]);
      expect(requests).toBe(2);
      const events = await db.sql(
        'SELECT puuid, previous_status, status FROM account_status_events ORDER BY puuid',
      );
      expect(events.rows).toEqual([
        { puuid: 'flagged-1', previous_status: 'active', status: 'not_found' },
        { puuid: 'flagged-2', previous_status: 'active', status: 'not_found' },
      ]);
      const claims = await db.sql(
        'SELECT count(*)::int AS n FROM players WHERE ban_check_failed_at IS NOT NULL',
      );
      expect(claims.rows).toEqual([{ n: 0 }]);
    } finally {
      await db.drop();
    }
  });

  it('checks a run leaves at its deadline are due again for the next run', async () => {
    const db = await createTestDatabase();
    try {
      await db.sql(
        `INSERT INTO players (puuid, platform, is_flagged, is_analyzed)
         VALUES ('flagged-1', 'euw1', true, true)`,
      );
      const ctx = { logger: { info() {}, warn() {} }, progress() {} } as unknown as JobContext;
      const config = playerAnalyzerConfig.parse({});
      const riot = {} as RiotClient;
      await checkDueAccounts({ prisma: db.prisma, riot }, ctx, config, {
        reached: () => true,
      } as never);
      const claims = await db.sql(
        'SELECT count(*)::int AS n FROM players WHERE ban_check_failed_at IS NOT NULL',
      );
      expect(claims.rows).toEqual([{ n: 0 }]);
    } finally {
      await db.drop();
    }
  });
});
