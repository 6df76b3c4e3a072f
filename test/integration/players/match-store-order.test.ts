import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMatchStore, type MatchStore } from '../../../src/players/match-store.ts';
import { MatchDto } from '../../../src/riot/schemas.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

type Participant = Record<string, unknown> & { puuid: string };
type Payload = {
  metadata: { matchId: string };
  info: Record<string, unknown> & { gameStartTimestamp: number; participants: Participant[] };
};
const BASE = JSON.parse(
  readFileSync('test/fixtures/riot/match-v5/KR_7692293629.json', 'utf8'),
) as Payload;
const DAY = 86_400_000;

/** The fixture moved by `days`, its first participant named `gameName` at `level`. */
function variant(id: number, days: number, gameName: string, level: number): MatchDto {
  const m = structuredClone(BASE);
  m.metadata.matchId = `KR_${id}`;
  for (const key of ['gameCreation', 'gameStartTimestamp', 'gameEndTimestamp'])
    m.info[key] = (m.info[key] as number) + days * DAY;
  Object.assign(m.info.participants[0] as Participant, {
    riotIdGameName: gameName,
    summonerLevel: level,
    profileIcon: 1000 + (id % 100),
  });
  return MatchDto.parse(m);
}
const first = BASE.info.participants[0] as Participant;
const tag = first.riotIdTagline as string;

let db: TestDatabase;
let store: MatchStore;
beforeAll(async () => {
  db = await createTestDatabase();
  store = createMatchStore(db.prisma);
});
afterAll(() => db.drop());
beforeEach(async () => {
  await db.sql('TRUNCATE players, matches CASCADE');
});

const player = async () =>
  (
    await db.sql(
      'SELECT riot_id, game_name, summoner_level, last_match_at, profile_icon_id FROM players WHERE puuid = $1',
      [first.puuid],
    )
  ).rows[0];

describe('match store: newer data is never overwritten by older', () => {
  it('an older match stored later does not rename the player back; levels only grow', async () => {
    const newer = variant(1, 2, 'Newer', 400);
    await store.store(newer);
    await store.store(variant(2, -30, 'Older', 300));
    expect(await player()).toEqual({
      riot_id: `Newer#${tag}`,
      game_name: 'Newer',
      summoner_level: 400,
      last_match_at: new Date(newer.info.gameStartTimestamp as number),
      profile_icon_id: 1001,
    });
    // Each game keeps the name its player had then.
    const { rows } = await db.sql(
      'SELECT match_id, riot_id_game_name FROM match_participants WHERE puuid = $1 ORDER BY match_id',
      [first.puuid],
    );
    expect(rows.map((r) => r.riot_id_game_name)).toEqual(['Newer', 'Older']);

    await store.store(variant(3, 5, 'Newest', 401));
    expect(await player()).toMatchObject({ riot_id: `Newest#${tag}`, summoner_level: 401 });
    expect(
      (
        await db.sql('SELECT new_matches_since_analysis AS n FROM players WHERE puuid = $1', [
          first.puuid,
        ])
      ).rows[0]?.n,
    ).toBe(3);
  });

  it('a participant inserted by plain SQL gets its match game start and queue', async () => {
    const match = variant(6, 0, 'Plain', 10);
    await store.store(match);
    await db.sql(`INSERT INTO players (puuid, platform) VALUES ('plain-sql', 'kr')`);
    await db.sql(
      `INSERT INTO match_participants (match_id, puuid, participant_id, team_id, win, champion_id,
         champion_name, kills, deaths, assists, total_minions_killed, neutral_minions_killed,
         gold_earned, total_damage_dealt_to_champions, vision_score, champ_level)
       VALUES ($1, 'plain-sql', 11, 100, true, 1, 'Annie', 0, 0, 0, 0, 0, 0, 0, 0, 1)`,
      [match.metadata.matchId],
    );
    const { rows } = await db.sql(
      `SELECT game_start, queue_id FROM match_participants WHERE puuid = 'plain-sql'`,
    );
    expect(rows[0]).toEqual({
      game_start: new Date(match.info.gameStartTimestamp as number),
      queue_id: match.info.queueId,
    });
  });

  it('a Riot ID seen by account-v1 (or at tracking) is kept against games played before', async () => {
    const start = BASE.info.gameStartTimestamp;
    await db.sql(
      `INSERT INTO players (puuid, platform, is_tracked, riot_id, game_name, tag_line, tracked_at)
       VALUES ($1, 'kr', true, 'Tracked#KR1', 'Tracked', 'KR1', $2)`,
      [first.puuid, new Date(start + DAY)],
    );
    await store.store(variant(4, 0, 'Before', 10));
    expect(await player()).toMatchObject({ riot_id: 'Tracked#KR1' });
    await store.store(variant(5, 2, 'After', 11));
    expect(await player()).toMatchObject({ riot_id: `After#${tag}` });
    const { rows } = await db.sql('SELECT is_tracked, tracked_at FROM players WHERE puuid = $1', [
      first.puuid,
    ]);
    expect(rows[0]).toEqual({ is_tracked: true, tracked_at: new Date(start + DAY) });
  });
});
