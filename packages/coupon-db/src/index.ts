import { join } from 'node:path';
import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { PrismaClient } from './generated/prisma/client.ts';

export * from './generated/prisma/client.ts';

/** The folder of this database's SQL migrations, for the migration step. */
export const couponMigrationsDir = join(import.meta.dirname, '..', 'prisma', 'migrations');

/** A Prisma client over the MariaDB/MySQL driver adapter (no native engine). */
export function createCouponDb(databaseUrl: string, connectionLimit = 10): PrismaClient {
  const url = new URL(databaseUrl);
  url.searchParams.set('connectionLimit', String(connectionLimit));
  // The adapter turns the driver's prepared-statement cache off (prepareCacheLength=0), so
  // every statement costs PREPARE + EXECUTE + CLOSE: two round trips instead of one. The
  // apps run a few dozen distinct statements; 100 per connection x the pools stays far
  // below the server's max_prepared_stmt_count (16382).
  if (!url.searchParams.has('prepareCacheLength'))
    url.searchParams.set('prepareCacheLength', '100');
  return new PrismaClient({ adapter: new PrismaMariaDb(url.toString()) });
}
