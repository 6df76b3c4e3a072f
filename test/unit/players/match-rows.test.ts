import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { matchRows, UnsupportedMatchError } from '../../../src/players/match-rows.ts';
import { MatchDto } from '../../../src/riot/schemas.ts';

type Json = Record<string, unknown>;
const fixture = (name: string) =>
  JSON.parse(readFileSync(`test/fixtures/riot/match-v5/${name}.json`, 'utf8')) as {
    metadata: Json;
    info: Json & { participants: Json[] };
  };

describe('matchRows', () => {
  it('reads a pre-11.20 payload: duration in ms, no start or end timestamp', () => {
    const m = fixture('KR_7692293629');
    delete m.info.gameEndTimestamp;
    delete m.info.gameStartTimestamp;
    m.info.gameDuration = 1_205_000;
    const { match } = matchRows(MatchDto.parse(m));
    expect(match).toMatchObject({
      game_duration_seconds: 1205,
      game_end: null,
      game_start: new Date(m.info.gameCreation as number).toISOString(),
      platform: 'kr',
    });
  });

  it('takes the Riot ID from riotIdGameName, else riotIdName, else only the summoner name', () => {
    const m = fixture('KR_7692293629');
    const [a, b, c] = m.info.participants as [Json, Json, Json];
    Object.assign(a, { riotIdGameName: 'Modern', riotIdTagline: 'EUW', summonerName: '' });
    delete b.riotIdGameName;
    Object.assign(b, { riotIdName: 'Interim', riotIdTagline: 'KR1', summonerName: 'Legacy B' });
    delete c.riotIdGameName;
    Object.assign(c, { riotIdTagline: '', summonerName: 'Legacy C' });
    const { players, participants } = matchRows(MatchDto.parse(m));
    expect(players.slice(0, 3).map((p) => [p.riot_id, p.game_name, p.summoner_name])).toEqual([
      ['Modern#EUW', 'Modern', 'Modern'],
      ['Interim#KR1', 'Interim', 'Legacy B'],
      [null, null, 'Legacy C'],
    ]);
    expect(participants[2]).toMatchObject({ riot_id_game_name: 'Legacy C', riot_id_tagline: null });
  });

  it('drops bots and repeated PUUIDs from the rows', () => {
    const m = fixture('KR_7692293629');
    const list = m.info.participants;
    (list[1] as Json).puuid = 'BOT';
    (list[2] as Json).puuid = (list[3] as Json).puuid;
    const { participants, players } = matchRows(MatchDto.parse(m));
    expect(participants).toHaveLength(8);
    expect(new Set(players.map((p) => p.puuid)).size).toBe(8);
    expect(players.some((p) => p.puuid === 'BOT')).toBe(false);
  });

  it('takes what detection needs from challenges, tolerating absent and odd values', () => {
    const m = fixture('KR_7014499581');
    const [a, b] = m.info.participants as [Json, Json];
    delete a.detectorWardsPlaced;
    Object.assign(a.challenges as Json, {
      controlWardsPlaced: 4,
      soloKills: 2.6,
      killParticipation: 'n/a',
    });
    delete b.challenges;
    const [rowA, rowB] = matchRows(MatchDto.parse(m)).participants;
    expect(rowA).toMatchObject({
      control_wards_placed: 4,
      solo_kills: 3,
      kill_participation: null,
    });
    expect(rowA?.challenges).toMatchObject({ soloKills: 2.6 });
    expect(rowB).toMatchObject({
      challenges: null,
      kill_participation: null,
      solo_kills: null,
      max_cs_advantage_on_lane_opponent: null,
      control_wards_placed: b.detectorWardsPlaced,
    });
  });

  it('copies the game start and queue onto every participant', () => {
    const { match, participants } = matchRows(MatchDto.parse(fixture('NA1_5392577155')));
    expect(participants).toHaveLength(16);
    for (const p of participants) {
      expect(p).toMatchObject({ game_start: match.game_start, queue_id: 1700 });
      expect(p.placement).toBeGreaterThan(0);
    }
  });

  it('refuses a payload cut short: a participant of its metadata missing', () => {
    const m = fixture('KR_7692293629');
    m.info.participants = m.info.participants.slice(1);
    expect(() => matchRows(MatchDto.parse(m))).toThrow(/9 participants, 10 listed/);
  });

  it('refuses a platform riftwatch does not know', () => {
    const m = fixture('KR_7692293629');
    m.info.platformId = 'PBE1';
    expect(() => matchRows(MatchDto.parse(m))).toThrow(UnsupportedMatchError);
  });

  it('refuses times and match values no column can hold; a count out of int4 is unknown', () => {
    for (const change of [
      { gameStartTimestamp: 1e20 },
      { gameCreation: -1e20 },
      { queueId: 3_000_000_000 },
      { gameDuration: 1e12 },
    ]) {
      const m = fixture('KR_7692293629');
      // An end time says the duration is in seconds (from patch 11.20).
      Object.assign(m.info, { gameEndTimestamp: m.info.gameCreation }, change);
      expect(() => matchRows(MatchDto.parse(m)), JSON.stringify(change)).toThrow(
        UnsupportedMatchError,
      );
    }
    const m = fixture('KR_7692293629');
    Object.assign(m.info.participants[0] as Json, { goldEarned: 3_000_000_000, wardsPlaced: -5e9 });
    const [first] = matchRows(MatchDto.parse(m)).participants;
    expect(first).toMatchObject({ gold_earned: 0, wards_placed: null });
  });

  it('refuses a time before the game existed or more than a day ahead; a start of 0 is the creation', () => {
    const day = 24 * 60 * 60 * 1000;
    for (const change of [
      { gameStartTimestamp: Date.now() + 2 * day },
      { gameEndTimestamp: Date.UTC(2099, 0, 1) },
      { gameCreation: 0, gameStartTimestamp: 0 },
      { gameCreation: Date.UTC(2001, 0, 1) },
    ]) {
      const m = fixture('KR_7692293629');
      Object.assign(m.info, change);
      expect(() => matchRows(MatchDto.parse(m)), JSON.stringify(change)).toThrow(
        /a time out of range/,
      );
    }
    const m = fixture('KR_7692293629');
    Object.assign(m.info, { gameStartTimestamp: 0 });
    const { match } = matchRows(MatchDto.parse(m));
    expect(match.game_start).toBe(new Date(m.info.gameCreation as number).toISOString());
    // Clock skew within a day is taken as it is.
    const soon = fixture('KR_7692293629');
    Object.assign(soon.info, { gameStartTimestamp: Date.now() + 60 * 60 * 1000 });
    expect(() => matchRows(MatchDto.parse(soon))).not.toThrow();
  });
});
