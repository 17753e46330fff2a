import type { Connection, PoolConnection } from 'mariadb';
import type { RawSqlExecutor } from './processed-events.ts';

/**
 * Lets a plain mariadb connection (scripts, the outbox relay, tests) stand where a Prisma
 * transaction is expected: the same `$executeRawUnsafe(sql, ...values)` → affected rows.
 */
export function sqlExecutor(conn: Connection | PoolConnection): RawSqlExecutor {
  return {
    async $executeRawUnsafe(query: string, ...values: unknown[]) {
      const result = await conn.query(query, values);
      return Number(result.affectedRows);
    },
  };
}
