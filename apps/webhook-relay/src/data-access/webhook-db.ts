import { join } from 'node:path';
import { parseDatabaseUrl } from '@commerce/db';
import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { createPool, type Pool } from 'mariadb';
import { PrismaClient } from '../generated/prisma/client.ts';

export type { PrismaClient } from '../generated/prisma/client.ts';

/** The folder of the webhook database's SQL migrations, for the migration step. */
export const webhookMigrationsDir = join(import.meta.dirname, '..', '..', 'prisma', 'migrations');

/** A Prisma client over the MariaDB/MySQL driver adapter (no native engine): the operator API. */
export function createWebhookDb(databaseUrl: string, connectionLimit: number): PrismaClient {
  const url = new URL(databaseUrl);
  url.searchParams.set('connectionLimit', String(connectionLimit));
  return new PrismaClient({ adapter: new PrismaMariaDb(url.toString()) });
}

/**
 * The driver pool of the hot path (fan-out, claims, flushes: multi-row statements Prisma
 * cannot express). Times are UTC both ways, as Prisma reads and writes them.
 */
export function createWebhookPool(databaseUrl: string, connectionLimit: number): Pool {
  return createPool({
    ...parseDatabaseUrl(databaseUrl),
    connectionLimit,
    timezone: 'Z',
    initSql: "SET time_zone = '+00:00'",
    bigIntAsNumber: true,
    decimalAsNumber: true,
  });
}
