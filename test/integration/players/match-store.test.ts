import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPool, createPrisma } from '../../../src/db/prisma.ts';
import { UnsupportedMatchError } from '../../../src/players/match-rows.ts';
import { createMatchStore, type MatchStore } from '../../../src/players/match-store.ts';
import { MatchDto } from '../../../src/riot/schemas.ts';
import { createTestDatabase, type TestDatabase, untilALockWaits } from '../../helpers/database.ts';

const DIR = 'test/fixtures/riot/match-v5/';
const FIXTURES = readdirSync(DIR).filter((f) => f.endsWith('.json'));
type Json = Record<string, unknown> & { info: Record<string, unknown> };
const payload = (file: string) => JSON.parse(readFileSync(DIR + file, 'utf8')) as Json;
const participantsOf = (m: Json) => m.info.participants as Record<string, unknown>[];

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

const TYPED = {
  kill_participation: 'killParticipation',
  solo_kills: 'soloKills',
  max_cs_advantage_on_lane_opponent: 'maxCsAdvantageOnLaneOpponent',
  laning_phase_gold_exp_advantage: 'laningPhaseGoldExpAdvantage',
  early_laning_phase_gold_exp_advantage: 'earlyLaningPhaseGoldExpAdvantage',
  max_level_lead_lane_opponent: 'maxLevelLeadLaneOpponent',
  lane_minions_first_10_minutes: 'laneMinionsFirst10Minutes',
  jungle_cs_before_10_minutes: 'jungleCsBefore10Minutes',
} as const;

describe('match store', () => {
  it.each(FIXTURES)('stores the real payload %s without loss', async (file) => {
    const raw = payload(file);
    const result = await store.store(MatchDto.parse(raw));
    const list = participantsOf(raw);
    expect(result).toMatchObject({
      stored: true,
      participants: list.length,
      newPlayers: list.length,
    });
    const matchId = (raw.metadata as { matchId: string }).matchId;
    const { rows: matches } = await db.sql('SELECT * FROM matches WHERE match_id = $1', [matchId]);
    expect(matches[0]).toMatchObject({
      platform: String(raw.info.platformId).toLowerCase(),
      queue_id: raw.info.queueId,
      game_duration_seconds: raw.info.gameDuration,
      game_start: new Date(raw.info.gameStartTimestamp as number),
    });
    expect(matches[0]?.raw).toEqual(raw);

    const { rows } = await db.sql(
      `SELECT mp.*, p.riot_id, p.summoner_name, p.platform, p.is_tracked, p.is_analyzed,
         p.new_matches_since_analysis
       FROM match_participants mp JOIN players p USING (puuid) WHERE match_id = $1`,
      [matchId],
    );
    expect(rows).toHaveLength(list.length);
    for (const p of list) {
      const row = rows.find((r) => r.puuid === p.puuid);
      const c = p.challenges as Record<string, number> | undefined;
      expect(row).toMatchObject({
        kills: p.kills,
        deaths: p.deaths,
        assists: p.assists,
        champion_id: p.championId,
        team_id: p.teamId,
        win: p.win,
        queue_id: raw.info.queueId,
        time_played: p.timePlayed,
        game_ended_in_surrender: p.gameEndedInSurrender,
        game_ended_in_early_surrender: p.gameEndedInEarlySurrender,
        team_early_surrendered: p.teamEarlySurrendered,
        total_damage_taken: p.totalDamageTaken,
        wards_placed: p.wardsPlaced,
        wards_killed: p.wardsKilled,
        control_wards_placed: p.detectorWardsPlaced,
        challenges: c ?? null,
        platform: matches[0]?.platform,
        is_tracked: false,
        is_analyzed: false,
        new_matches_since_analysis: 1,
      });
      for (const [column, key] of Object.entries(TYPED))
        expect(row?.[column]).toBe(c?.[key] ?? null);
      const gameName = (p.riotIdGameName || p.riotIdName || null) as string | null;
      const riotId = gameName && p.riotIdTagline ? `${gameName}#${p.riotIdTagline}` : null;
      expect(row?.riot_id).toBe(riotId);
      expect(row?.summoner_name).toBe(p.summonerName || gameName);
      expect(row?.riot_id_game_name).toBe(gameName ?? p.summonerName);
    }
  });

  it('a second store of a match changes nothing', async () => {
    const dto = MatchDto.parse(payload(FIXTURES[0] as string));
    await store.store(dto);
    const snapshot = async () =>
      (
        await db.sql(
          'SELECT puuid, new_matches_since_analysis, last_match_at FROM players ORDER BY puuid',
        )
      ).rows;
    const before = await snapshot();
    expect(await store.store(dto)).toMatchObject({
      stored: false,
      participants: 0,
      newPlayers: 0,
      updatedPlayers: 0,
    });
    expect(await snapshot()).toEqual(before);
  });

  it('concurrent stores of one match leave one match with all its participants', async () => {
    const pools = Array.from({ length: 4 }, () =>
      createPool(db.url, { poolSize: 1, maxOverflow: 0 }),
    );
    const clients = pools.map(createPrisma);
    try {
      for (const file of FIXTURES) {
        const dto = MatchDto.parse(payload(file));
        const results = await Promise.all(clients.map((c) => createMatchStore(c).store(dto)));
        expect(results.filter((r) => r.stored)).toHaveLength(1);
        const { rows } = await db.sql(
          `SELECT (SELECT count(*)::int FROM matches WHERE match_id = $1) AS matches,
             (SELECT count(*)::int FROM match_participants WHERE match_id = $1) AS participants`,
          [dto.metadata.matchId],
        );
        expect(rows[0]).toEqual({ matches: 1, participants: dto.info.participants.length });
      }
      const { rows } = await db.sql(
        `SELECT count(*)::int AS n FROM players p
         WHERE new_matches_since_analysis <> (SELECT count(*) FROM match_participants mp WHERE mp.puuid = p.puuid)`,
      );
      expect(rows[0]?.n).toBe(0);
    } finally {
      await Promise.all(clients.map((c) => c.$disconnect()));
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('a U+0000 in a payload is dropped from it: the match is stored, names readable', async () => {
    const raw = payload(FIXTURES[0] as string);
    const [first] = participantsOf(raw);
    const name = String(first?.riotIdGameName ?? 'Name');
    (first as Record<string, unknown>).riotIdGameName = `${name.slice(0, 2)}\u0000${name.slice(2)}`;
    const result = await store.store(MatchDto.parse(raw));
    expect(result.stored).toBe(true);
    const { rows } = await db.sql(
      'SELECT riot_id_game_name FROM match_participants WHERE match_id = $1 AND puuid = $2',
      [result.matchId, first?.puuid],
    );
    expect(rows[0]?.riot_id_game_name).toBe(name);
  });

  it('a payload the database refuses is an UnsupportedMatchError, and nothing of it is stored', async () => {
    const raw = payload(FIXTURES[0] as string);
    // A lone surrogate: JSON.stringify writes it as an escape that jsonb refuses.
    (raw.info as Record<string, unknown>).extra = 'x\ud800y';
    const dto = MatchDto.parse(raw);
    const error = await store.store(dto).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedMatchError);
    expect(String((error as Error).message)).toMatch(/database refused a value/);
    const { rows } = await db.sql('SELECT count(*)::int AS n FROM matches');
    expect(rows[0]?.n).toBe(0);
  });

  it('a store caught in a deadlock with another writer is rolled back and run again', async () => {
    const raw = payload(FIXTURES[0] as string);
    await store.store(MatchDto.parse(raw));
    const puuids = participantsOf(raw)
      .map((p) => String(p.puuid))
      .sort();
    const again = MatchDto.parse({
      ...raw,
      metadata: { ...(raw.metadata as object), matchId: 'EUW1_1' },
    });
    const pool = createPool(db.url, { poolSize: 1, maxOverflow: 0 });
    const prisma = createPrisma(pool);
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      // Each session looks for a deadlock once, deadlock_timeout after it starts to wait: the
      // store (the default 1 s) does so after the cycle closes, the other writer (10 s) later.
      await other.query("BEGIN; SET LOCAL deadlock_timeout = '10s'");
      // Holds the last player the store will lock (it locks in PUUID order).
      await other.query('UPDATE players SET summoner_level = 1 WHERE puuid = $1', [puuids.at(-1)]);
      const storing = createMatchStore(prisma).store(again);
      await untilALockWaits(db);
      // Waits for the first player, which the store holds: a deadlock, which the store detects.
      await other.query('UPDATE players SET summoner_level = 2 WHERE puuid = $1', [puuids[0]]);
      await other.query('COMMIT');
      expect((await storing).stored).toBe(true);
    } finally {
      await other.end();
      await prisma.$disconnect();
      await pool.end();
    }
  });
});
