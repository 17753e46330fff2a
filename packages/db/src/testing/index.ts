import { type StackAddresses, stackAddresses, uniqueName } from '@commerce/testing';
import { createConnection } from 'mariadb';
import { formatDatabaseUrl } from '../database-url.ts';
import { migrate } from '../migrate.ts';

export interface FreshDatabase {
  url: string;
  name: string;
  /** Drops the database (tests share one server: never anything else). */
  drop(): Promise<void>;
}

/**
 * A database of the test's own, migrated from scratch: on the local stack's server, or on
 * `server` (a fault test's own, see startDedicatedDatabaseServer).
 */
export async function freshDatabase(
  migrationsDir: string,
  prefix: string,
  server: StackAddresses['mysql'] = stackAddresses().mysql,
): Promise<FreshDatabase> {
  const mysql = server;
  const db = { ...mysql, database: uniqueName(prefix) };
  await migrate(db, migrationsDir);
  return {
    url: formatDatabaseUrl(db),
    name: db.database,
    async drop() {
      const conn = await createConnection(mysql);
      await conn.query(`DROP DATABASE IF EXISTS \`${db.database}\``);
      await conn.end();
    },
  };
}
