import { join } from 'node:path';
import { parseDatabaseUrl } from '@commerce/db';
import { createPool, type Pool } from 'mariadb';

/** The folder of the analytics database's SQL migrations, for the migration step. */
export const analyticsMigrationsDir = join(import.meta.dirname, '..', '..', 'prisma', 'migrations');

/**
 * The mariadb driver pool of the analytics database: times in UTC (as Prisma reads them),
 * counts and sums as plain numbers (minor-unit totals stay far below 2^53).
 */
export function createAnalyticsPool(databaseUrl: string, connectionLimit: number): Pool {
  return createPool({
    ...parseDatabaseUrl(databaseUrl),
    connectionLimit,
    timezone: 'Z',
    bigIntAsNumber: true,
    decimalAsNumber: true,
  });
}

// The transaction helpers moved to @commerce/db (webhook-relay uses them too).
export { insertRows, inTransaction } from '@commerce/db';
