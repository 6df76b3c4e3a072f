import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

type Field = { model: string; name: string; column: string; type: string; optional: boolean };
type Model = { name: string; table: string; fields: Field[]; indexNames: string[] };

const SCALARS: Record<string, string[]> = {
  String: ['text', 'character varying'],
  Int: ['integer'],
  Float: ['double precision'],
  Boolean: ['boolean'],
  DateTime: ['timestamp with time zone'],
  Json: ['jsonb'],
  List: ['ARRAY'],
};

/** Reads the models of schema.prisma: scalar fields with their column names, and named indexes. */
function parseSchema(text: string): Model[] {
  const models: Model[] = [];
  for (const [, name, body] of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const table = /@@map\("([^"]+)"\)/.exec(body as string)?.[1] ?? (name as string);
    const fields: Field[] = [];
    for (const line of (body as string).split('\n')) {
      const m = /^\s+(\w+)\s+(\w+)(\??)(\[\])?\s*(.*)$/.exec(line);
      if (!m || !((m[2] as string) in SCALARS)) continue;
      const column = /@map\("([^"]+)"\)/.exec(m[5] as string)?.[1] ?? (m[1] as string);
      fields.push({
        model: name as string,
        name: m[1] as string,
        column,
        // A scalar list is a PostgreSQL array, never NULL.
        type: m[4] ? 'List' : (m[2] as string),
        optional: m[3] === '?',
      });
    }
    const indexNames = [...(body as string).matchAll(/map: "([^"]+)"/g)].map((m) => m[1] as string);
    models.push({ name: name as string, table, fields, indexNames });
  }
  return models;
}

describe('schema.prisma and the migrated database agree', () => {
  let db: TestDatabase;
  let models: Model[];
  beforeAll(async () => {
    db = await createTestDatabase();
    models = parseSchema(await readFile('prisma/schema.prisma', 'utf8'));
  });
  afterAll(() => db.drop());

  it('parses every model of the schema', () => {
    expect(models.map((m) => m.table).sort()).toEqual([
      'account_status_events',
      'job_configurations',
      'job_executions',
      'match_fetch_failures',
      'match_participants',
      'matches',
      'player_analyses',
      'players',
      'rank_snapshots',
    ]);
  });

  it('has every model column with a compatible type and the same nullability, and no extra column', async () => {
    const { rows } = await db.sql<{
      table_name: string;
      column_name: string;
      data_type: string;
      is_nullable: string;
    }>(
      `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    const actual = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, r]));
    const problems: string[] = [];
    for (const model of models) {
      for (const field of model.fields) {
        const key = `${model.table}.${field.column}`;
        const column = actual.get(key);
        actual.delete(key);
        if (!column) {
          problems.push(`${key} (${model.name}.${field.name}) is missing`);
          continue;
        }
        if (!SCALARS[field.type]?.includes(column.data_type)) {
          problems.push(`${key} is ${column.data_type}, schema says ${field.type}`);
        }
        if ((column.is_nullable === 'YES') !== field.optional) {
          problems.push(`${key} nullable=${column.is_nullable}, schema optional=${field.optional}`);
        }
      }
    }
    for (const key of actual.keys())
      problems.push(`${key} exists in the database but not in schema.prisma`);
    expect(problems).toEqual([]);
  });

  it('has every index and unique constraint the schema names', async () => {
    const { rows } = await db.sql<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`,
    );
    const present = new Set(rows.map((r) => r.indexname));
    const missing = models.flatMap((m) => m.indexNames).filter((name) => !present.has(name));
    expect(missing).toEqual([]);
  });

  it('lets the generated Prisma client read and write every model', async () => {
    const p = db.prisma;
    await p.player.create({ data: { puuid: 'p1', platform: 'euw1', riotId: 'Ünïcødé#EUW' } });
    await p.match.create({
      data: {
        matchId: 'EUW1_1',
        platform: 'euw1',
        queueId: 420,
        gameCreation: new Date(),
        gameStart: new Date(),
        gameDurationSeconds: 1800,
      },
    });
    await p.matchParticipant.create({
      data: {
        matchId: 'EUW1_1',
        puuid: 'p1',
        participantId: 1,
        teamId: 100,
        win: true,
        championId: 1,
        championName: 'Annie',
        kills: 1,
        deaths: 2,
        assists: 3,
        totalMinionsKilled: 150,
        neutralMinionsKilled: 10,
        goldEarned: 9000,
        totalDamageDealtToChampions: 15000,
        visionScore: 20,
        champLevel: 14,
        gameStart: new Date(),
        queueId: 420,
      },
    });
    await p.rankSnapshot.create({
      data: {
        puuid: 'p1',
        queueType: 'RANKED_SOLO_5x5',
        tier: 'GOLD',
        rank: 'II',
        leaguePoints: 50,
        wins: 10,
        losses: 8,
      },
    });
    await p.playerAnalysis.create({
      data: {
        puuid: 'p1',
        algorithmVersion: 'v1',
        smurfConfidence: 'insufficient_data',
        gamesAnalyzed: 1,
      },
    });
    await p.accountStatusEvent.create({
      data: { puuid: 'p1', status: 'renamed', evidence: { from: 'a#b' } },
    });
    const config = await p.jobConfiguration.findFirstOrThrow({
      where: { jobType: 'tracked_player_updater' },
    });
    await p.jobExecution.create({
      data: { jobConfigId: config.id, status: 'pending', trigger: 'manual' },
    });
    const player = await p.player.findUniqueOrThrow({
      where: { puuid: 'p1' },
      include: { participations: true, rankSnapshots: true, analyses: true, statusEvents: true },
    });
    expect(player.participations).toHaveLength(1);
    expect([
      player.rankSnapshots.length,
      player.analyses.length,
      player.statusEvents.length,
    ]).toEqual([1, 1, 1]);
  });
});
