import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RANK_LOCK_CLASS, refreshRank } from '../../../src/players/rank.ts';
import type { RiotClient } from '../../../src/riot/client.ts';
import type { Simulator } from '../../../src/riot/simulator/index.ts';
import { createTestDatabase, type TestDatabase, untilALockWaits } from '../../helpers/database.ts';
import { startPair } from '../riot/helpers.ts';

let db: TestDatabase;
let simulator: Simulator;
let riot: RiotClient;
beforeAll(async () => {
  db = await createTestDatabase();
  const pair = await startPair({
    seed: 6,
    world: { platforms: ['euw1'], playersPerPlatform: 20, historySlots: 30, speed: 0 },
  });
  simulator = pair.simulator;
  riot = pair.client;
});
afterAll(async () => {
  await simulator.stop();
  await db.drop();
});

const snapshots = async (puuid: string) =>
  (
    await db.sql(
      'SELECT tier, rank, league_points, wins, losses FROM rank_snapshots WHERE puuid = $1 ORDER BY id',
      [puuid],
    )
  ).rows;
const current = async (puuid: string) =>
  (
    await db.sql(
      `SELECT current_tier AS tier, current_rank AS rank, current_lp AS league_points,
         current_wins AS wins, current_losses AS losses, rank_checked_at FROM players WHERE puuid = $1`,
      [puuid],
    )
  ).rows[0];

describe('rank refresh', () => {
  it('writes a snapshot only when the standing changed, and keeps current_* on solo/duo', async () => {
    const [p] = simulator.world.trackable(1, 'euw1');
    if (!p) throw new Error('no player');
    await db.sql(`INSERT INTO players (puuid, platform) VALUES ($1, 'euw1')`, [p.puuid]);
    const standing = () => {
      const [e] = simulator.world.leagueEntries('euw1', p.puuid);
      return {
        tier: e?.tier,
        rank: e?.rank,
        league_points: e?.leaguePoints,
        wins: e?.wins,
        losses: e?.losses,
      };
    };

    expect(await refreshRank(db.prisma, riot, p)).toEqual({
      snapshotsCreated: 1,
      playerChanged: true,
    });
    expect(await refreshRank(db.prisma, riot, p)).toEqual({
      snapshotsCreated: 0,
      playerChanged: false,
    });
    expect(await snapshots(p.puuid)).toEqual([standing()]);
    expect(await current(p.puuid)).toMatchObject(standing());

    const before = standing();
    while (standing().wins === before.wins && standing().losses === before.losses)
      simulator.world.advance(simulator.world.slotMs);
    expect(await refreshRank(db.prisma, riot, p)).toEqual({
      snapshotsCreated: 1,
      playerChanged: true,
    });
    expect(await snapshots(p.puuid)).toEqual([before, standing()]);
    expect(await current(p.puuid)).toMatchObject(standing());
  });

  it('two refreshes of one player at once write its new standing once', async () => {
    const p = simulator.world.trackable(6, 'euw1')[5];
    if (!p) throw new Error('no player');
    await db.sql(`INSERT INTO players (puuid, platform) VALUES ($1, 'euw1')`, [p.puuid]);
    const [e] = simulator.world.leagueEntries('euw1', p.puuid);
    // Another refresh of the same standing, not committed yet when this one starts.
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [
        RANK_LOCK_CLASS,
        p.puuid,
      ]);
      await other.query(
        `INSERT INTO rank_snapshots (puuid, queue_type, tier, rank, league_points, wins, losses)
         VALUES ($1, 'RANKED_SOLO_5x5', $2, $3, $4, $5, $6)`,
        [p.puuid, e?.tier, e?.rank, e?.leaguePoints, e?.wins, e?.losses],
      );
      const refreshing = refreshRank(db.prisma, riot, p);
      await untilALockWaits(db);
      await other.query('COMMIT');
      expect((await refreshing).snapshotsCreated).toBe(0);
    } finally {
      await other.end();
    }
    expect(await snapshots(p.puuid)).toHaveLength(1);
  });

  it('an answer read before the stored one is not written over it', async () => {
    const p = simulator.world.trackable(8, 'euw1')[7];
    if (!p) throw new Error('no player');
    // A refresh that read a later standing (a minute from now) has already written it.
    await db.sql(
      `INSERT INTO players (puuid, platform, current_tier, current_rank, current_lp, rank_checked_at)
       VALUES ($1, 'euw1', 'CHALLENGER', 'I', 900, now() + interval '1 minute')`,
      [p.puuid],
    );
    expect(await refreshRank(db.prisma, riot, p)).toEqual({
      snapshotsCreated: 0,
      playerChanged: false,
    });
    expect(await current(p.puuid)).toMatchObject({ tier: 'CHALLENGER', league_points: 900 });
    expect(await snapshots(p.puuid)).toEqual([]);
  });

  it('clears current_* for a player unranked in solo/duo, with no snapshot', async () => {
    // The simulator's players are ranked on their own platform only: on eun1 this one has no entry.
    const [unranked] = simulator.world.trackable(2, 'euw1').slice(1);
    if (!unranked) throw new Error('no player');
    expect(simulator.world.leagueEntries('eun1', unranked.puuid)).toEqual([]);
    await db.sql(
      `INSERT INTO players (puuid, platform, current_tier, current_rank, current_lp) VALUES ($1, 'euw1', 'GOLD', 'II', 10)`,
      [unranked.puuid],
    );
    const result = await refreshRank(db.prisma, riot, { puuid: unranked.puuid, platform: 'eun1' });
    expect(result).toEqual({ snapshotsCreated: 0, playerChanged: true });
    expect(await current(unranked.puuid)).toMatchObject({
      tier: null,
      rank: null,
      league_points: null,
    });
    expect((await current(unranked.puuid))?.rank_checked_at).toBeInstanceOf(Date);
    expect(await snapshots(unranked.puuid)).toEqual([]);
  });
});
