import { createPool, type Pool } from 'mariadb';
import { parseDatabaseUrl } from './database-url.ts';

/** A mariadb driver pool for a `mysql://` URL (the outbox relay and scripts use one). */
export function createDatabasePool(databaseUrl: string, connectionLimit = 2): Pool {
  return createPool({ ...parseDatabaseUrl(databaseUrl), connectionLimit });
}
