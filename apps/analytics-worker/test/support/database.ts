import { formatDatabaseUrl, migrate } from '@commerce/db';
import { stackAddresses, uniqueName } from '@commerce/testing';
import { createConnection } from 'mariadb';
import { analyticsMigrationsDir } from '../../src/data-access/analytics-db.ts';

/** An analytics database of this test's own, migrated from nothing; drop() removes it. */
export async function migratedDatabase() {
  const { mysql } = stackAddresses();
  const config = { ...mysql, database: uniqueName('analytics') };
  await migrate(config, analyticsMigrationsDir);
  return {
    url: formatDatabaseUrl(config),
    async drop() {
      const conn = await createConnection(mysql);
      await conn.query(`DROP DATABASE IF EXISTS \`${config.database}\``);
      await conn.end();
    },
  };
}
