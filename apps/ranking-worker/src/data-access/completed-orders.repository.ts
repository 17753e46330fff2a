import { parseDatabaseUrl } from '@commerce/db';
import { createConnection } from 'mariadb';
import type { CompletedOrderLine } from '../domain/rebuild-rankings.ts';

/**
 * Reads completed orders' lines from the order database, which belongs to order-api: the
 * rebuild is its only outside reader, so it reads the tables directly, in a READ ONLY
 * transaction (one consistent snapshot; a write would fail), and changes nothing.
 * Times are read as UTC text: the columns hold UTC (Prisma writes them so), whatever the
 * driver's or server's time zone.
 */
export async function* completedOrderLines(
  databaseUrl: string,
  range: { from: Date; until: Date },
): AsyncGenerator<CompletedOrderLine> {
  const conn = await createConnection(parseDatabaseUrl(databaseUrl));
  try {
    await conn.query('START TRANSACTION READ ONLY, WITH CONSISTENT SNAPSHOT');
    const stream = conn.queryStream(
      `SELECT o.id AS order_id, o.completed_event_id,
              DATE_FORMAT(o.completed_at, '%Y-%m-%dT%H:%i:%s.%fZ') AS completed_at,
              i.product_id, i.quantity
         FROM orders o JOIN order_items i ON i.order_id = o.id
        WHERE o.status = 'COMPLETED' AND o.completed_at >= ? AND o.completed_at < ?`,
      [utcText(range.from), utcText(range.until)],
    );
    for await (const row of stream as AsyncIterable<Row>) {
      yield {
        orderId: row.order_id,
        eventId: row.completed_event_id,
        completedAt: Date.parse(row.completed_at),
        productId: row.product_id,
        quantity: Number(row.quantity),
      };
    }
    await conn.query('COMMIT');
  } finally {
    await conn.end();
  }
}

interface Row {
  order_id: string;
  completed_event_id: string | null;
  completed_at: string;
  product_id: string;
  quantity: number;
}

function utcText(at: Date): string {
  return at.toISOString().replace('T', ' ').replace('Z', '');
}
