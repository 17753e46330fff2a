import { randomUUID } from 'node:crypto';
import { insertRows } from '@commerce/db';
import type { PoolConnection } from 'mariadb';
import type { IncomingEvent } from '../domain/model.ts';

/** Rows per INSERT: large flushes are split so one statement stays far below max_allowed_packet. */
const ROWS_PER_STATEMENT = 500;

interface SubscriberRow {
  id: string;
  event_types: string | string[];
  status: 'ENABLED' | 'DISABLED';
}

const chunks = <T>(rows: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(rows.length / ROWS_PER_STATEMENT) }, (_, i) =>
    rows.slice(i * ROWS_PER_STATEMENT, (i + 1) * ROWS_PER_STATEMENT),
  );

/**
 * One message per event and one delivery per subscribed endpoint, in multi-row INSERT
 * IGNOREs: the (endpoint, message) key turns a redelivered event into nothing. A disabled
 * endpoint's deliveries are kept PAUSED, to go out when it is enabled again.
 */
export async function fanOut(
  conn: PoolConnection,
  events: readonly IncomingEvent[],
  now: Date,
): Promise<number> {
  const subscribers: SubscriberRow[] = await conn.query(
    'SELECT id, event_types, status FROM endpoints',
  );
  const messages = events.map((e) => [e.id, e.type, e.body, e.occurredAt]);
  for (const rows of chunks(messages))
    await insertRows(conn, 'INSERT IGNORE INTO messages (id, event_type, body, occurred_at)', rows);
  const deliveries: unknown[][] = [];
  for (const event of events)
    for (const endpoint of subscribers) {
      const types =
        typeof endpoint.event_types === 'string'
          ? (JSON.parse(endpoint.event_types) as string[])
          : endpoint.event_types;
      if (!types.includes(event.type)) continue;
      const status = endpoint.status === 'ENABLED' ? 'PUBLISHED' : 'PAUSED';
      const due = status === 'PUBLISHED' ? now : null;
      deliveries.push([randomUUID(), endpoint.id, event.id, status, due, now, now]);
    }
  let created = 0;
  for (const rows of chunks(deliveries))
    created += await insertRows(
      conn,
      'INSERT IGNORE INTO deliveries (id, endpoint_id, message_id, status, next_attempt_at, created_at, updated_at)',
      rows,
    );
  return created;
}
