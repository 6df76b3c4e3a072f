import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { ensureDatabase } from '../../../src/db/database.ts';
import { MIGRATIONS_DIR, MigrationError, migrate } from '../../../src/db/migrate.ts';
import { createEmptyDatabase } from '../../helpers/database.ts';

const drops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(drops.splice(0).map((drop) => drop()));
});

async function emptyDatabase() {
  const db = await createEmptyDatabase();
  drops.push(db.drop);
  return db.url;
}

async function query<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

/** Every migration folder, in order: what a fresh database gets. */
const allMigrations = async () =>
  (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rw-migrations-'));
  drops.push(() => rm(dir, { recursive: true, force: true }));
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

describe('migration runner', () => {
  it('applies every migration to a fresh database and records it as Prisma does', async () => {
    const url = await emptyDatabase();
    const result = await migrate(url);
    const names = await allMigrations();
    expect(names[0]).toBe('20261128000000_init');
    expect(result.applied).toEqual(names);
    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
      logs: string | null;
      rolled_back_at: Date | null;
    }>(url, 'SELECT * FROM _prisma_migrations ORDER BY migration_name');
    expect(rows).toHaveLength(names.length);
    expect(rows[0]).toMatchObject({
      migration_name: '20261128000000_init',
      applied_steps_count: 1,
      logs: null,
      rolled_back_at: null,
    });
    expect(rows[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]?.finished_at).toBeInstanceOf(Date);
  });

  it('is a no-op when run again, and leaves the seed untouched', async () => {
    const url = await emptyDatabase();
    await migrate(url);
    await query(
      url,
      `UPDATE job_configurations SET is_active = false WHERE job_type = 'player_analyzer'`,
    );
    const second = await migrate(url);
    expect(second).toEqual({ applied: [], alreadyApplied: await allMigrations() });
    const configs = await query<{ job_type: string; is_active: boolean }>(
      url,
      'SELECT job_type, is_active FROM job_configurations ORDER BY id',
    );
    expect(configs).toEqual([
      { job_type: 'tracked_player_updater', is_active: true },
      { job_type: 'player_analyzer', is_active: false },
      { job_type: 'execution_retention', is_active: true },
    ]);
  });

  it('refuses to run when an applied migration was modified', async () => {
    const url = await emptyDatabase();
    const dir = await copyOfMigrations();
    await migrate(url, { dir });
    await writeFile(join(dir, '20261128000000_init', 'migration.sql'), '-- tampered\nSELECT 1;\n');
    await expect(migrate(url, { dir })).rejects.toThrow(/20261128000000_init was modified/);
  });

  it('rolls a failing migration back completely and records nothing', async () => {
    const url = await emptyDatabase();
    const dir = await copyOfMigrations();
    await migrate(url, { dir });
    const broken = join(dir, '29991231000000_broken');
    await cp(join(dir, '20261128000000_init'), broken, { recursive: true });
    await writeFile(
      join(broken, 'migration.sql'),
      'CREATE TABLE half_applied (id int);\nALTER TABLE players ADD COLUMN nope text;\nSELECT * FROM no_such_table;\n',
    );
    const error = await migrate(url, { dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(String(error)).toMatch(/29991231000000_broken failed and was rolled back/);
    const tables = await query(url, `SELECT 1 FROM pg_tables WHERE tablename = 'half_applied'`);
    const columns = await query(
      url,
      `SELECT 1 FROM information_schema.columns WHERE table_name = 'players' AND column_name = 'nope'`,
    );
    const recorded = await query(
      url,
      `SELECT 1 FROM _prisma_migrations WHERE migration_name = '29991231000000_broken'`,
    );
    expect([tables.length, columns.length, recorded.length]).toEqual([0, 0, 0]);
  });

  it('accepts a migration whose only change is its line endings, as Prisma does', async () => {
    const url = await emptyDatabase();
    const dir = await copyOfMigrations();
    await migrate(url, { dir });
    const file = join(dir, '20261128000000_init', 'migration.sql');
    const { readFile } = await import('node:fs/promises');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/\n/g, '\r\n'));
    await expect(migrate(url, { dir })).resolves.toMatchObject({ applied: [] });
  });

  it("accepts a checksum in older Prisma engines' unpadded form, and still refuses a wrong one", async () => {
    const url = await emptyDatabase();
    await migrate(url);
    const [row] = await query<{ checksum: string }>(
      url,
      `SELECT checksum FROM _prisma_migrations WHERE migration_name = '20261128000000_init'`,
    );
    const unpadded = (row?.checksum.match(/../g) ?? [])
      .map((pair) => Number.parseInt(pair, 16).toString(16))
      .join('');
    // sha256 of the seed-carrying init migration has bytes below 0x10, so the forms differ.
    expect(unpadded).not.toBe(row?.checksum);
    const init = `WHERE migration_name = '20261128000000_init'`;
    await query(url, `UPDATE _prisma_migrations SET checksum = '${unpadded}' ${init}`);
    await expect(migrate(url)).resolves.toMatchObject({ applied: [] });
    await query(url, `UPDATE _prisma_migrations SET checksum = '${unpadded.slice(1)}0' ${init}`);
    await expect(migrate(url)).rejects.toThrow(/was modified/);
  });

  it('creates a missing database once when several processes start together', async () => {
    const serverUrl = inject('pgServerUrl');
    const name = `rw_race_${Date.now()}`;
    drops.push(() =>
      query(`${serverUrl}/postgres`, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => {}),
    );
    await Promise.all(Array.from({ length: 4 }, () => ensureDatabase(serverUrl, name)));
    const rows = await query(
      `${serverUrl}/postgres`,
      `SELECT 1 FROM pg_database WHERE datname = '${name}'`,
    );
    expect(rows).toHaveLength(1);
  });
});
