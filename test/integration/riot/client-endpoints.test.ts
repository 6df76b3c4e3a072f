import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gameDurationSeconds, participantRiotId } from '../../../src/riot/schemas.ts';
import { startPair } from './helpers.ts';

let pair: Awaited<ReturnType<typeof startPair>>;
beforeAll(async () => {
  pair = await startPair();
});
afterAll(() => pair.simulator.stop());

describe('riot client against the simulator', () => {
  it('resolves a Riot ID (account-v1, regional routing from a platform)', async () => {
    const [player] = pair.simulator.world.trackable(1, 'kr');
    if (!player) throw new Error('no player');
    const account = await pair.client.getAccountByRiotId('kr', player.gameName, player.tagLine);
    expect(account).toMatchObject({ puuid: player.puuid, gameName: player.gameName });
    expect(pair.requests.at(-1)).toMatchObject({
      routing: 'asia',
      method: 'account-v1.by-riot-id',
      status: 200,
    });
    expect(await pair.client.getAccountByPuuid('asia', player.puuid)).toEqual(account);
  });

  it('URL-encodes Unicode Riot IDs', async () => {
    const unicode = pair.simulator.world
      .players()
      .find((p) => /[^\x20-\x7e]/.test(p.gameName) && !p.rename && !p.deletedAt);
    if (!unicode) throw new Error('the seeded world has no Unicode name');
    const account = await pair.client.getAccountByRiotId(
      unicode.platform,
      unicode.gameName,
      unicode.tagLine,
    );
    expect(account.puuid).toBe(unicode.puuid);
  });

  it('routes SEA accounts to asia (account-v1 has no sea cluster)', async () => {
    const [player] = pair.simulator.world.trackable(1, 'oc1');
    if (!player) throw new Error('no oc1 player');
    await pair.client.getAccountByPuuid('oc1', player.puuid);
    expect(pair.requests.at(-1)?.routing).toBe('asia');
  });

  it('reads summoner-v4 and league-v4 by PUUID on the platform', async () => {
    const [player] = pair.simulator.world.trackable(1, 'euw1');
    if (!player) throw new Error('no player');
    const summoner = await pair.client.getSummonerByPuuid('euw1', player.puuid);
    expect(summoner.puuid).toBe(player.puuid);
    expect(summoner.summonerLevel).toBeGreaterThan(0);
    const entries = await pair.client.getLeagueEntriesByPuuid('euw1', player.puuid);
    expect(entries[0]).toMatchObject({ queueType: 'RANKED_SOLO_5x5', puuid: player.puuid });
    expect(pair.requests.at(-1)).toMatchObject({
      routing: 'euw1',
      method: 'league-v4.entries-by-puuid',
    });
  });

  it('lists match ids with every filter and fetches a match by id', async () => {
    const [player] = pair.simulator.world.trackable(1, 'na1');
    if (!player) throw new Error('no player');
    const all = await pair.client.getMatchIdsByPuuid('na1', player.puuid, { count: 100 });
    expect(all.length).toBeGreaterThan(3);
    expect(all.every((id) => id.startsWith('NA1_'))).toBe(true);
    const page = await pair.client.getMatchIdsByPuuid('americas', player.puuid, {
      start: 1,
      count: 2,
    });
    expect(page).toEqual(all.slice(1, 3));
    const match = await pair.client.getMatch(all[0] as string);
    expect(match.info.participants).toHaveLength(10);
    expect(match.metadata.participants).toContain(player.puuid);
    expect(gameDurationSeconds(match.info)).toBeGreaterThan(600);
    const me = match.info.participants.find((p) => p.puuid === player.puuid);
    expect(me && participantRiotId(me).gameName).toBe(player.gameName);
    const startTime = Math.floor((match.info.gameStartTimestamp ?? 0) / 1000);
    const since = await pair.client.getMatchIdsByPuuid('na1', player.puuid, {
      startTime,
      count: 100,
    });
    expect(since[0]).toBe(all[0]);
    expect(since.length).toBeLessThan(all.length);
    const ranked = await pair.client.getMatchIdsByPuuid('na1', player.puuid, {
      queue: 420,
      type: 'ranked',
      count: 100,
      endTime: startTime - 1,
    });
    expect(ranked.length).toBeLessThanOrEqual(all.length);
    expect(ranked).not.toContain(all[0]);
  });

  it('finds new matches after simulated time passes', async () => {
    const [player] = pair.simulator.world.trackable(1, 'euw1');
    if (!player) throw new Error('no player');
    const before = await pair.client.getMatchIdsByPuuid('euw1', player.puuid, { count: 100 });
    pair.simulator.world.advance(pair.simulator.world.slotMs * 10);
    const after = await pair.client.getMatchIdsByPuuid('euw1', player.puuid, { count: 100 });
    expect(after.length).toBeGreaterThan(before.length);
    expect(after.slice(-before.length)).toEqual(before);
  });

  it('exports the ground truth and a world with smurfs and boosted duos', () => {
    const truth = pair.simulator.groundTruth();
    expect(truth.players.some((p) => p.isSmurf)).toBe(true);
    const boosted = truth.players.find((p) => p.isBoosted);
    expect(boosted?.duoPartner).toBeTruthy();
    expect(truth.players.find((p) => p.puuid === boosted?.duoPartner)?.label).toBe('booster');
  });

  it('counts every HTTP attempt and attributes it to the scoped caller', async () => {
    let counted = 0;
    const scoped = pair.client.scoped({ priority: 'interactive', onRequest: () => counted++ });
    const [player] = pair.simulator.world.trackable(1, 'eun1');
    if (!player) throw new Error('no player');
    await scoped.getSummonerByPuuid('eun1', player.puuid);
    await expect(scoped.getMatch('EUN1_1')).rejects.toThrow();
    expect(counted).toBe(2);
    expect(pair.requests.at(-1)?.priority).toBe('interactive');
  });
});
