import type { Pool, PoolConnection } from 'mariadb';

/**
 * Runs `work` in one READ COMMITTED transaction (no gap locks between concurrent writers).
 * The isolation level and BEGIN go out pipelined (the driver sends both before the first
 * answer): on a busy server each round trip costs a scheduling delay.
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (conn: PoolConnection) => Promise<T>,
): Promise<T> {
  const conn = await pool.getConnection();
  try {
    await Promise.all([
      conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED'),
      conn.beginTransaction(),
    ]);
    const result = await work(conn);
    await conn.commit();
    return result;
  } catch (err) {
    await conn.rollback().catch(() => undefined);
    throw err;
  } finally {
    conn.release();
  }
}

/** One multi-row INSERT: `${head} VALUES (?, …), (?, …) ${tail}`; nothing when there are no rows. */
export async function insertRows(
  conn: PoolConnection,
  head: string,
  rows: readonly unknown[][],
  tail = '',
): Promise<number> {
  if (rows.length === 0) return 0;
  const tuple = `(${rows[0]?.map(() => '?').join(', ')})`;
  const sql = `${head} VALUES ${rows.map(() => tuple).join(', ')} ${tail}`;
  const result = await conn.query(sql, rows.flat());
  return Number(result.affectedRows);
}
