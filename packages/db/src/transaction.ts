import type { Pool, PoolConnection } from 'mariadb';

/** Runs `work` in one READ COMMITTED transaction (no gap locks between concurrent writers). */
export async function inTransaction<T>(
  pool: Pool,
  work: (conn: PoolConnection) => Promise<T>,
): Promise<T> {
  const conn = await pool.getConnection();
  try {
    await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await conn.beginTransaction();
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
