import type { PoolConnection } from 'mariadb';
import type { ClaimedDelivery } from '../domain/dispatch-store.ts';

interface DueRow {
  seq: number;
  id: string;
  endpoint_id: string;
  message_id: string;
  attempts: number;
  next_attempt_at: Date;
}

const marks = (values: readonly unknown[]) => values.map(() => '?').join(', ');

/**
 * Locks up to `limit` due deliveries of enabled endpoints, skipping rows another replica
 * holds (SKIP LOCKED), and leases them: IN_PROGRESS until `now + leaseMs`, after which a
 * replica that died mid-attempt has its claim taken over. An ordered endpoint yields only
 * its head (no earlier unfinished delivery), so its events leave one at a time, in order.
 * Only delivery rows are locked.
 */
export async function claimDue(
  conn: PoolConnection,
  input: { limit: number; leaseMs: number; skipEndpoints: readonly string[]; now: Date },
): Promise<ClaimedDelivery[]> {
  // The endpoints table is small: reading the claimable ones first lets the claim walk the
  // due index in due order and stop at its LIMIT (a join would sort every waiting row).
  const skipped = new Set(input.skipEndpoints);
  const enabled: { id: string; ordered: number }[] = await conn.query(
    "SELECT id, ordered FROM endpoints WHERE status = 'ENABLED'",
  );
  const claimable = enabled.filter((e) => !skipped.has(e.id));
  if (claimable.length === 0) return [];
  const ordered = claimable.filter((e) => e.ordered).map((e) => e.id);
  const ids = claimable.map((e) => e.id);
  const headOnly = ordered.length
    ? `AND (d.endpoint_id NOT IN (${marks(ordered)})
             OR NOT EXISTS (SELECT 1 FROM deliveries h
                             WHERE h.endpoint_id = d.endpoint_id AND h.seq < d.seq
                               AND h.status IN ('PUBLISHED', 'IN_PROGRESS', 'FAILED', 'PAUSED')))`
    : '';
  const due: DueRow[] = await conn.query(
    `SELECT d.seq, d.id, d.endpoint_id, d.message_id, d.attempts, d.next_attempt_at
       FROM deliveries d FORCE INDEX (deliveries_due)
      WHERE d.next_attempt_at <= ? AND d.status IN ('PUBLISHED', 'FAILED', 'IN_PROGRESS')
        AND d.endpoint_id IN (${marks(ids)})
        ${headOnly}
      ORDER BY d.next_attempt_at
      LIMIT ?
      FOR UPDATE SKIP LOCKED`,
    [input.now, ...ids, ...ordered, input.limit],
  );
  if (due.length === 0) return [];
  const seqs = due.map((row) => row.seq);
  // The lease and the two lookups go out pipelined: one round trip for the three.
  const leased = conn.query(
    `UPDATE deliveries SET status = 'IN_PROGRESS', next_attempt_at = ?, updated_at = ? WHERE seq IN (${marks(seqs)})`,
    [new Date(input.now.getTime() + input.leaseMs), input.now, ...seqs],
  );
  const messageIds = [...new Set(due.map((row) => row.message_id))];
  const endpointIds = [...new Set(due.map((row) => row.endpoint_id))];
  const bodiesQuery: Promise<{ id: string; event_type: string; body: string }[]> = conn.query(
    `SELECT id, event_type, body FROM messages WHERE id IN (${marks(messageIds)})`,
    messageIds,
  );
  const endpointsQuery: Promise<
    {
      id: string;
      url: string;
      rate_limit_per_second: number | null;
      secret: string;
      previous_secret: string | null;
      previous_secret_expires_at: Date | null;
    }[]
  > = conn.query(
    `SELECT id, url, rate_limit_per_second, secret, previous_secret, previous_secret_expires_at
       FROM endpoints WHERE id IN (${marks(endpointIds)})`,
    endpointIds,
  );
  const [, bodies, endpoints] = await Promise.all([leased, bodiesQuery, endpointsQuery]);
  const messageById = new Map(bodies.map((m) => [m.id, m]));
  const endpointById = new Map(endpoints.map((e) => [e.id, e]));
  return due.flatMap((row) => {
    const message = messageById.get(row.message_id);
    const endpoint = endpointById.get(row.endpoint_id);
    if (!message || !endpoint) return [];
    return [
      {
        seq: row.seq,
        id: row.id,
        endpointId: row.endpoint_id,
        url: endpoint.url,
        rateLimitPerSecond: endpoint.rate_limit_per_second,
        secrets: {
          secret: endpoint.secret,
          previousSecret: endpoint.previous_secret,
          previousSecretExpiresAt: endpoint.previous_secret_expires_at,
        },
        attempts: row.attempts,
        dueAt: row.next_attempt_at,
        eventType: message.event_type,
        messageId: row.message_id,
        body: message.body,
      },
    ];
  });
}
