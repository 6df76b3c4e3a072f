import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Logger } from '../logger.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

// The key `prisma migrate deploy` locks with, so this runner and Prisma's never interleave.
const PRISMA_ADVISORY_LOCK = 72707369;

// The table exactly as Prisma's schema engine creates it.
const CREATE_PRISMA_MIGRATIONS = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export type Migration = { name: string; sql: string; checksum: string };

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/** Prisma's checksum: SHA-256 of the file's text, hex. */
function checksumOf(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/** Older Prisma engines wrote each byte without its leading zero; Prisma still accepts that form. */
function checksumMatches(sql: string, recorded: string): boolean {
  const digest = createHash('sha256').update(sql).digest();
  if (recorded.length === 64) return digest.toString('hex') === recorded;
  return [...digest].map((byte) => byte.toString(16)).join('') === recorded;
}

/** Migration folders in Prisma's layout, in the order Prisma applies them (by name). */
async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: checksumOf(sql) };
    }),
  );
}

export type MigrateResult = { applied: string[]; alreadyApplied: string[] };

/**
 * Applies pending migrations, each in its own transaction, recording them in `_prisma_migrations`
 * as `prisma migrate deploy` does. Refuses to run when an applied migration's file changed, or when
 * a migration is recorded as failed (Prisma's P3009 state) until an operator resolves it.
 */
export async function migrate(
  databaseUrl: string,
  options: { dir?: string; logger?: Logger } = {},
): Promise<MigrateResult> {
  const migrations = await readMigrations(options.dir);
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => {}); // a dropped connection also rejects the pending query
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
    await client.query(CREATE_PRISMA_MIGRATIONS);
    const { rows } = await client.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
    }>('SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"');
    const recorded = rows.filter((r) => r.rolled_back_at === null);
    const failed = recorded.find((r) => r.finished_at === null);
    if (failed) {
      throw new MigrationError(
        `Migration ${failed.migration_name} is recorded as failed in _prisma_migrations; resolve it before migrating again`,
      );
    }
    const applied = new Map(recorded.map((r) => [r.migration_name, r.checksum]));
    verifyChecksums(migrations, applied);

    const result: MigrateResult = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      if (applied.has(migration.name)) {
        result.alreadyApplied.push(migration.name);
        continue;
      }
      await applyOne(client, migration);
      options.logger?.info({ migration: migration.name }, 'Migration applied');
      result.applied.push(migration.name);
    }
    return result;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]).catch(() => {});
    await client.end();
  }
}

function verifyChecksums(migrations: Migration[], applied: Map<string, string>): void {
  const byName = new Map(migrations.map((m) => [m.name, m]));
  for (const [name, checksum] of applied) {
    const migration = byName.get(name);
    if (!migration) continue; // Applied elsewhere, not in this checkout: Prisma warns, does not fail.
    // Prisma accepts a file whose only change is LF <-> CRLF line endings.
    const variants = [
      migration.sql,
      migration.sql.replace(/\r\n/g, '\n'),
      migration.sql.replace(/(?<!\r)\n/g, '\r\n'),
    ];
    if (!variants.some((sql) => checksumMatches(sql, checksum))) {
      throw new MigrationError(
        `Migration ${name} was modified after it was applied (checksum mismatch); refusing to migrate`,
      );
    }
  }
}

async function applyOne(client: pg.Client, migration: Migration): Promise<void> {
  try {
    await client.query('BEGIN');
    await client.query(migration.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations"
         (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
      [randomUUID(), migration.checksum, migration.name],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${reason}`);
  }
}
