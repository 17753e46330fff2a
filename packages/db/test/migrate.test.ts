import { cp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackAddresses, uniqueName } from '@commerce/testing';
import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { createConnection } from 'mariadb';
import { afterAll, describe, expect, it } from 'vitest';
import { type DatabaseConfig, formatDatabaseUrl } from '../src/database-url.ts';
import { migrate } from '../src/migrate.ts';
import { PrismaClient } from './fixture/generated/client.ts';

const migrationsDir = join(import.meta.dirname, 'fixture', 'migrations');
const server = stackAddresses().mysql;
const created: string[] = [];

function freshDatabase(): DatabaseConfig {
  const database = uniqueName('migrate_test');
  created.push(database);
  return { ...server, database };
}

afterAll(async () => {
  const conn = await createConnection(server);
  for (const database of created) await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await conn.end();
});

describe('migrate', () => {
  it('when a database is new, then every migration is applied once and recorded like Prisma does', async () => {
    const db = freshDatabase();
    const first = await migrate(db, migrationsDir);
    const second = await migrate(db, migrationsDir);

    expect(first).toEqual({
      applied: ['20261126000000_init', '20261126000100_processed_events'],
      alreadyApplied: [],
    });
    expect(second).toEqual({
      applied: [],
      alreadyApplied: ['20261126000000_init', '20261126000100_processed_events'],
    });
    const conn = await createConnection(db);
    const rows = await conn.query('SELECT migration_name, finished_at FROM _prisma_migrations');
    await conn.end();
    expect(rows).toHaveLength(2);
    expect(rows[0].finished_at).toBeInstanceOf(Date);
  });

  it('when two migrators start at once, then the migration is applied exactly once', async () => {
    const db = freshDatabase();
    const results = await Promise.all([migrate(db, migrationsDir), migrate(db, migrationsDir)]);
    expect(results.flatMap((r) => r.applied)).toEqual([
      '20261126000000_init',
      '20261126000100_processed_events',
    ]);
  });

  it('when an applied migration is edited, then migrate refuses to run', async () => {
    const db = freshDatabase();
    const dir = join(tmpdir(), uniqueName('migrations'));
    await cp(migrationsDir, dir, { recursive: true });
    await migrate(db, dir);
    await writeFile(join(dir, '20261126000000_init', 'migration.sql'), '-- edited\nSELECT 1;');
    await expect(migrate(db, dir)).rejects.toThrow(/was edited after it was applied/);
  });

  it('when tables come from the migration step, then Prisma Client reads and writes them through the MariaDB adapter', async () => {
    const db = freshDatabase();
    await migrate(db, migrationsDir);
    const prisma = new PrismaClient({ adapter: new PrismaMariaDb(formatDatabaseUrl(db)) });
    try {
      await prisma.widget.create({ data: { id: 'w-1', name: 'lamp', stock: 2 } });
      // The conditional decrement the services rely on: it never goes below zero.
      const decrement = () =>
        prisma.widget.updateMany({
          where: { id: 'w-1', stock: { gt: 0 } },
          data: { stock: { decrement: 1 } },
        });
      const counts = await Promise.all([decrement(), decrement(), decrement()]);

      expect(counts.map((c) => c.count).sort()).toEqual([0, 1, 1]);
      expect(await prisma.widget.findMany()).toEqual([
        expect.objectContaining({ id: 'w-1', name: 'lamp', stock: 0, createdAt: expect.any(Date) }),
      ]);
    } finally {
      await prisma.$disconnect();
    }
  });
});
