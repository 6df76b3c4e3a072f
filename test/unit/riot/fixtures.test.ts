import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AccountDto,
  gameDurationSeconds,
  LeagueEntriesDto,
  MatchDto,
  MatchIdsDto,
  participantRiotId,
  SummonerDto,
} from '../../../src/riot/schemas.ts';

const root = new URL('../../fixtures/riot/', import.meta.url);
const load = (dir: string) =>
  readdirSync(new URL(dir, root)).map(
    (name) => [name, JSON.parse(readFileSync(new URL(`${dir}/${name}`, root), 'utf8'))] as const,
  );

describe('real Riot payloads in test/fixtures/riot parse', () => {
  it.each(load('match-v5'))('match %s', (_name, json) => {
    const match = MatchDto.parse(json);
    const expected = match.info.gameMode === 'CHERRY' ? 16 : 10;
    expect(match.info.participants).toHaveLength(expected);
    expect(gameDurationSeconds(match.info)).toBeGreaterThan(60);
    for (const p of match.info.participants) expect(participantRiotId(p).gameName).toBeTruthy();
    // unknown fields survive (loose objects)
    expect(Object.keys(match.info.participants[0] ?? {}).length).toBeGreaterThan(50);
  });

  it('treats gameDuration as ms before patch 11.20 (no gameEndTimestamp)', () => {
    expect(gameDurationSeconds({ gameDuration: 1_805_000 })).toBe(1805);
    expect(gameDurationSeconds({ gameDuration: 1805, gameEndTimestamp: 1 })).toBe(1805);
  });

  it.each(load('match-v5-ids'))('match ids %s', (_name, json) => {
    expect(MatchIdsDto.parse(json).length).toBeGreaterThan(0);
  });

  it.each(load('account-v1').filter(([n]) => !n.startsWith('region')))(
    'account %s',
    (_name, json) => {
      expect(AccountDto.parse(json).gameName).toBeTruthy();
    },
  );

  it.each(load('summoner-v4'))('summoner %s (with and without id/accountId)', (_name, json) => {
    expect(SummonerDto.parse(json).summonerLevel).toBeGreaterThan(0);
  });

  it.each(load('league-v4'))('league entries %s (summonerId or puuid)', (_name, json) => {
    const entries = LeagueEntriesDto.parse(json);
    expect(entries.every((e) => e.puuid ?? e.summonerId)).toBe(true);
  });

  it('the 2022 flex match still uses riotIdName', () => {
    const [, json] = load('match-v5').find(([n]) => n.startsWith('NA1_4223689858')) ?? [];
    const p = MatchDto.parse(json).info.participants[0];
    expect(p?.riotIdGameName).toBeUndefined();
    expect(p && participantRiotId(p).gameName).toBe(p?.riotIdName || p?.summonerName);
  });
});
