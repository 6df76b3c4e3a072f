import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMatchStore } from '../../../src/players/match-store.ts';
import { createPlayerTracking, type PlayerTracking } from '../../../src/players/tracking.ts';
import { RIOT_METHODS } from '../../../src/riot/endpoints.ts';
import { MatchDto } from '../../../src/riot/schemas.ts';
import type { Simulator } from '../../../src/riot/simulator/index.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { startPair } from '../riot/helpers.ts';

let db: TestDatabase;
let simulator: Simulator;
let tracking: PlayerTracking;
let requests: unknown[];

const world = () => simulator.groundTruth().players;
const notDeleted = () => world().filter((p) => p.deletedAt === null && p.leftLolAt === null);

async function trackedCount(): Promise<number> {
  return (await db.sql<{ n: number }>('SELECT count(*)::int AS n FROM players WHERE is_tracked'))
    .rows[0]?.n as number;
}
async function playerCount(): Promise<number> {
  return (await db.sql<{ n: number }>('SELECT count(*)::int AS n FROM players')).rows[0]
    ?.n as number;
}

beforeAll(async () => {
  db = await createTestDatabase();
  const pair = await startPair({ world: { platforms: ['euw1', 'kr'], playersPerPlatform: 30 } });
  simulator = pair.simulator;
  requests = pair.requests;
  tracking = createPlayerTracking({
    prisma: db.prisma,
    riot: pair.client,
    maxTrackedPlayers: 3,
    defaultPlatform: 'euw1',
  });
});
afterEach(async () => {
  simulator.faults.clear();
  await db.sql('DELETE FROM players');
  requests.length = 0;
});
afterAll(async () => {
  await simulator.stop();
  await db.drop();
});

describe('track', () => {
  it('by PUUID: stores the Riot ID and profile from Riot, tracked now', async () => {
    const target = notDeleted().find((p) => p.platform === 'euw1');
    if (!target) throw new Error('no euw1 player');
    const player = await tracking.track({ puuid: target.puuid });
    expect(player).toMatchObject({ puuid: target.puuid, platform: 'euw1', isTracked: true });
    const account = simulator.world.account(target.puuid);
    expect(player.riotId).toBe(`${account?.gameName}#${account?.tagLine}`);
    expect(player.summonerLevel).toBeGreaterThan(0);
    expect(player.trackedAt).toBeInstanceOf(Date);
    // account-v1 and summoner-v4, both interactive.
    expect(requests).toHaveLength(2);
    expect(requests.every((r) => (r as { priority: string }).priority === 'interactive')).toBe(
      true,
    );
  });

  it("by Riot ID typed in another case: Riot's casing is stored, Unicode names included", async () => {
    const unicode = notDeleted().find((p) => /[^\u0020-\u007e]/.test(p.riotId));
    if (!unicode) throw new Error('the world has no Unicode name');
    const account = simulator.world.account(unicode.puuid);
    if (!account?.gameName || !account.tagLine) throw new Error('no account');
    const player = await tracking.track({
      gameName: account.gameName.toUpperCase(),
      tagLine: account.tagLine.toLowerCase(),
      platform: unicode.platform.toUpperCase(),
    });
    expect(player).toMatchObject({
      puuid: unicode.puuid,
      gameName: account.gameName,
      tagLine: account.tagLine,
      riotId: `${account.gameName}#${account.tagLine}`,
      platform: unicode.platform,
      isTracked: true,
    });
  });

  it('a known (discovered) player is tracked without asking Riot; tracking twice is a no-op', async () => {
    const target = notDeleted()[0];
    if (!target) throw new Error('no player');
    await db.sql(`INSERT INTO players (puuid, platform, riot_id) VALUES ($1, $2, 'Known#EUW')`, [
      target.puuid,
      target.platform,
    ]);
    const first = await tracking.track({ puuid: target.puuid });
    const again = await tracking.track({ puuid: target.puuid });
    expect(first.isTracked).toBe(true);
    expect(again.trackedAt).toEqual(first.trackedAt);
    expect(requests).toHaveLength(0);
    // Already tracked or not, a platform that does not exist is refused.
    await expect(tracking.track({ puuid: target.puuid, platform: 'xx1' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('a known player tracked on another platform: its profile there is checked, and the platform changed', async () => {
    const target = notDeleted().find((p) => p.platform === 'kr') as { puuid: string };
    // Discovered with the wrong platform (or moved since).
    await db.sql(`INSERT INTO players (puuid, platform) VALUES ($1, 'euw1')`, [target.puuid]);
    await expect(tracking.track({ puuid: target.puuid, platform: 'euw1' })).resolves.toMatchObject({
      platform: 'euw1',
      isTracked: true,
    });
    await tracking.untrack(target.puuid);
    requests.length = 0;
    const moved = await tracking.track({ puuid: target.puuid, platform: 'kr' });
    expect(moved).toMatchObject({ platform: 'kr', isTracked: true });
    expect(requests.length).toBeGreaterThan(0);
  });

  it('a Riot ID is asked of Riot: one riftwatch stored for another player does not pick that player', async () => {
    const [former, holder] = notDeleted().filter((p) => p.platform === 'euw1');
    if (!former || !holder) throw new Error('not enough players');
    const account = simulator.world.account(holder.puuid);
    if (!account?.gameName || !account.tagLine) throw new Error('no account');
    const riotId = `${account.gameName}#${account.tagLine}`;
    // Seen in an old game under the Riot ID its holder has now.
    await db.sql('INSERT INTO players (puuid, platform, riot_id) VALUES ($1, $2, $3)', [
      former.puuid,
      former.platform,
      riotId,
    ]);
    const tracked = await tracking.track({
      gameName: account.gameName,
      tagLine: account.tagLine,
      platform: 'euw1',
    });
    expect(tracked).toMatchObject({ puuid: holder.puuid, riotId, isTracked: true });
    const formerRow = await db.sql('SELECT is_tracked FROM players WHERE puuid = $1', [
      former.puuid,
    ]);
    expect(formerRow.rows).toEqual([{ is_tracked: false }]);
  });

  it('a known player tracked by Riot ID keeps it: a game stored later from before the lookup does not rename it', async () => {
    const target = notDeleted().find((p) => p.platform === 'kr');
    const account = target && simulator.world.account(target.puuid);
    if (!target || !account?.gameName || !account.tagLine) throw new Error('no account');
    // Discovered under an older name, seen in a game 30 days ago.
    await db.sql(
      `INSERT INTO players (puuid, platform, riot_id, game_name, tag_line, riot_id_observed_at)
       VALUES ($1, 'kr', 'Old#KR1', 'Old', 'KR1', now() - interval '30 days')`,
      [target.puuid],
    );
    const riotId = `${account.gameName}#${account.tagLine}`;
    await tracking.track({ gameName: account.gameName, tagLine: account.tagLine, platform: 'kr' });
    // A game from 10 days ago, still under the old name, stored after the lookup.
    const raw = JSON.parse(
      readFileSync('test/fixtures/riot/match-v5/KR_7692293629.json', 'utf8'),
    ) as {
      metadata: { participants: string[] };
      info: Record<string, unknown> & { participants: Record<string, unknown>[] };
    };
    const start = Date.now() - 10 * 24 * 3_600_000;
    const duration =
      (raw.info.gameEndTimestamp as number) - (raw.info.gameStartTimestamp as number);
    Object.assign(raw.info, {
      gameCreation: start,
      gameStartTimestamp: start,
      gameEndTimestamp: start + duration,
    });
    raw.metadata.participants[0] = target.puuid;
    Object.assign(raw.info.participants[0] as object, {
      puuid: target.puuid,
      riotIdGameName: 'Old',
      riotIdTagline: 'KR1',
    });
    await createMatchStore(db.prisma).store(MatchDto.parse(raw));
    const row = await db.sql('SELECT riot_id FROM players WHERE puuid = $1', [target.puuid]);
    expect(row.rows).toEqual([{ riot_id: riotId }]);
    await db.sql('TRUNCATE matches CASCADE');
  });

  it('LIMIT_REACHED at MAX_TRACKED_PLAYERS changes nothing and spends no request', async () => {
    const [a, b, c, d] = notDeleted();
    if (!a || !b || !c || !d) throw new Error('not enough players');
    for (const p of [a, b, c]) await tracking.track({ puuid: p.puuid, platform: p.platform });
    const before = await playerCount();
    requests.length = 0;
    await expect(tracking.track({ puuid: d.puuid, platform: d.platform })).rejects.toMatchObject({
      code: 'LIMIT_REACHED',
    });
    expect(await trackedCount()).toBe(3);
    expect(await playerCount()).toBe(before);
    expect(requests).toHaveLength(0);
    // Untracking one makes room.
    await tracking.untrack(a.puuid);
    await expect(tracking.track({ puuid: d.puuid, platform: d.platform })).resolves.toMatchObject({
      isTracked: true,
    });
  });

  it('concurrent tracks never pass the limit together', async () => {
    const candidates = notDeleted().slice(0, 6);
    const results = await Promise.allSettled(
      candidates.map((p) => tracking.track({ puuid: p.puuid, platform: p.platform })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    for (const r of results.filter((x) => x.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'LIMIT_REACHED' });
    expect(await trackedCount()).toBe(3);
  });

  it.each([
    [{ puuid: 'abc' }, /Invalid PUUID/],
    [{ puuid: `${'a'.repeat(77)}!` }, /Invalid PUUID/],
    [{ puuid: 'a'.repeat(78), platform: 'mars1' }, /Unknown platform/],
    [{ gameName: '', tagLine: 'EUW', platform: 'euw1' }, /game name/],
    [{ gameName: 'x'.repeat(17), tagLine: 'EUW', platform: 'euw1' }, /game name/],
    [{ gameName: 'a#b', tagLine: 'EUW', platform: 'euw1' }, /game name/],
    [{ gameName: 'Name', tagLine: 'TOOLONG', platform: 'euw1' }, /tag/],
    [{ gameName: 'Na\u0000me', tagLine: 'EUW', platform: 'euw1' }, /game name/],
  ])('refuses %j as INVALID_INPUT without a request', async (input, message) => {
    await expect(tracking.track(input)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(message),
    });
    expect(requests).toHaveLength(0);
    expect(await playerCount()).toBe(0);
  });

  it('an unknown Riot ID or PUUID is NOT_FOUND and stores nothing', async () => {
    await expect(
      tracking.track({ gameName: 'Nobody Here', tagLine: 'ZZZ', platform: 'euw1' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('Nobody Here#ZZZ'),
    });
    await expect(tracking.track({ puuid: 'Q'.repeat(78) })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await playerCount()).toBe(0);
  });

  it('a PUUID from another API key (Exception decrypting) is INVALID_INPUT', async () => {
    simulator.faults.inject(
      { kind: 'status', status: 400, message: 'Bad Request - Exception decrypting x' },
      { method: RIOT_METHODS.accountByPuuid },
    );
    const target = notDeleted()[0] as { puuid: string };
    await expect(tracking.track({ puuid: target.puuid })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('another Riot API key'),
    });
    expect(await playerCount()).toBe(0);
  });

  it('an invalid or expired key is RIOT_UNAVAILABLE and stores nothing', async () => {
    simulator.faults.inject({ kind: 'status', status: 403 }, { method: '*' });
    const target = notDeleted()[0] as { puuid: string };
    await expect(tracking.track({ puuid: target.puuid })).rejects.toMatchObject({
      code: 'RIOT_UNAVAILABLE',
      message: expect.stringContaining('invalid or expired'),
    });
    expect(await playerCount()).toBe(0);
  });

  it('a player without a League profile on the platform is NOT_FOUND', async () => {
    const target = notDeleted().find((p) => p.platform === 'kr') as { puuid: string };
    await expect(tracking.track({ puuid: target.puuid, platform: 'euw1' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('no League of Legends profile'),
    });
  });
});

describe('untrack', () => {
  const tracked = async () =>
    (
      await db.sql<{ puuid: string }>('SELECT puuid FROM players WHERE is_tracked ORDER BY puuid')
    ).rows.map((r) => r.puuid);

  it('untrack keeps the player and its data; an unknown PUUID is NOT_FOUND', async () => {
    const [a, b] = notDeleted();
    if (!a || !b) throw new Error('not enough players');
    await tracking.track({ puuid: a.puuid, platform: a.platform });
    await tracking.track({ puuid: b.puuid, platform: b.platform });
    expect(await tracked()).toEqual([a.puuid, b.puuid].sort());
    await expect(tracking.untrack(a.puuid)).resolves.toMatchObject({ isTracked: false });
    expect(await tracked()).toEqual([b.puuid]);
    expect(await playerCount()).toBe(2);
    await expect(tracking.untrack('Z'.repeat(78))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(tracking.untrack('short')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('a lookup Riot holds back', () => {
  it('gives up after its deadline with RIOT_UNAVAILABLE, tracking nothing', async () => {
    // Its own simulator and limiter: the 429 below blocks the routing value for an hour.
    const pair = await startPair({ world: { platforms: ['euw1'], playersPerPlatform: 5 } });
    try {
      const slow = createPlayerTracking({
        prisma: db.prisma,
        riot: pair.client,
        maxTrackedPlayers: 3,
        defaultPlatform: 'euw1',
        lookupTimeoutMs: 500,
      });
      const [target] = pair.simulator.world.trackable(1, 'euw1');
      pair.simulator.faults.inject(
        { kind: 'rate-limit', type: 'application', retryAfterSeconds: 3600 },
        { method: RIOT_METHODS.accountByPuuid, times: 1 },
      );
      const started = performance.now();
      await expect(slow.track({ puuid: target?.puuid as string })).rejects.toMatchObject({
        code: 'RIOT_UNAVAILABLE',
        message: expect.stringMatching(/did not answer in time/),
      });
      expect(performance.now() - started).toBeLessThan(5000);
      expect(await playerCount()).toBe(0);
    } finally {
      await pair.simulator.stop();
    }
  });
});
