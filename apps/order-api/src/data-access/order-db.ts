import { join } from 'node:path';
import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { PrismaClient } from '../generated/prisma/client.ts';

export type { PrismaClient } from '../generated/prisma/client.ts';

/** The folder of the order database's SQL migrations, for the migration step. */
export const orderMigrationsDir = join(import.meta.dirname, '..', '..', 'prisma', 'migrations');

/** A Prisma client over the MariaDB/MySQL driver adapter (no native engine). */
export function createOrderDb(databaseUrl: string, connectionLimit = 10): PrismaClient {
  const url = new URL(databaseUrl);
  url.searchParams.set('connectionLimit', String(connectionLimit));
  return new PrismaClient({ adapter: new PrismaMariaDb(url.toString()) });
}
