import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createConnection } from 'mariadb';
import type { DatabaseConfig } from './database-url.ts';

/**
 * Applies SQL migrations kept in Prisma's folder layout
 * (`<dir>/<timestamp>_<name>/migration.sql`) without Prisma's native schema engine,
 * which these machines cannot download. Applied migrations are recorded in Prisma's own
 * `_prisma_migrations` table with Prisma's checksum (sha256 of the file), so
 * `prisma migrate deploy` sees the same history wherever the engine is available.
 */

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
  id VARCHAR(36) NOT NULL PRIMARY KEY,
  checksum VARCHAR(64) NOT NULL,
  finished_at DATETIME(3) NULL,
  migration_name VARCHAR(255) NOT NULL,
  logs TEXT NULL,
  rolled_back_at DATETIME(3) NULL,
  started_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  applied_steps_count INT UNSIGNED NOT NULL DEFAULT 0
) DEFAULT CHARSET=utf8mb4`;

// Serialises concurrent migrators (two service instances starting at once).
const LOCK_NAME = 'commerce_migrate';
const LOCK_TIMEOUT_S = 60;

export async function listMigrations(
  dir: string,
): Promise<{ name: string; sql: string; checksum: string }[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

export async function migrate(db: DatabaseConfig, migrationsDir: string): Promise<MigrationResult> {
  const migrations = await listMigrations(migrationsDir);
  const { database, ...server } = db;
  const conn = await createConnection({ ...server, multipleStatements: true });
  try {
    await conn.query(
      `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    await conn.query(`USE \`${database}\``);
    const [{ locked }] = await conn.query('SELECT GET_LOCK(?, ?) AS locked', [
      LOCK_NAME,
      LOCK_TIMEOUT_S,
    ]);
    if (Number(locked) !== 1)
      throw new Error(`another migration held the lock for ${LOCK_TIMEOUT_S}s`);
    try {
      await conn.query(MIGRATIONS_TABLE);
      const rows: { migration_name: string; checksum: string; finished_at: Date | null }[] =
        await conn.query(
          'SELECT migration_name, checksum, finished_at FROM _prisma_migrations WHERE rolled_back_at IS NULL',
        );
      const recorded = new Map(rows.map((r) => [r.migration_name, r]));
      const result: MigrationResult = { applied: [], alreadyApplied: [] };
      for (const migration of migrations) {
        const previous = recorded.get(migration.name);
        if (previous?.finished_at) {
          if (previous.checksum !== migration.checksum) {
            throw new Error(
              `migration ${migration.name} was edited after it was applied; add a new migration instead`,
            );
          }
          result.alreadyApplied.push(migration.name);
          continue;
        }
        if (previous) {
          throw new Error(
            `migration ${migration.name} failed earlier and needs manual repair (see _prisma_migrations.logs)`,
          );
        }
        await applyOne(conn, migration);
        result.applied.push(migration.name);
      }
      return result;
    } finally {
      await conn.query('SELECT RELEASE_LOCK(?)', [LOCK_NAME]);
    }
  } finally {
    await conn.end();
  }
}

type Connection = Awaited<ReturnType<typeof createConnection>>;

// MySQL commits DDL implicitly, so a migration cannot be rolled back as a whole: like
// Prisma, a failure is recorded with its log and blocks later runs until repaired.
async function applyOne(
  conn: Connection,
  migration: { name: string; sql: string; checksum: string },
) {
  const id = crypto.randomUUID();
  await conn.query(
    'INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES (?, ?, ?)',
    [id, migration.checksum, migration.name],
  );
  try {
    await conn.query(migration.sql);
  } catch (err) {
    await conn.query('UPDATE _prisma_migrations SET logs = ? WHERE id = ?', [String(err), id]);
    throw new Error(`migration ${migration.name} failed: ${(err as Error).message}`, {
      cause: err,
    });
  }
  await conn.query(
    'UPDATE _prisma_migrations SET finished_at = CURRENT_TIMESTAMP(3), applied_steps_count = 1 WHERE id = ?',
    [id],
  );
}
