import type { RawSqlExecutor } from '@commerce/db';
import type { OutgoingEvent } from '@commerce/kafka';

/**
 * Records events to publish, inside the caller's transaction (Prisma's `tx` fits): they
 * reach Kafka if and only if the transaction commits. Call `relay.wake()` after the commit
 * for low latency; the relay's sweep publishes them anyway.
 */
export async function enqueueEvents(
  tx: RawSqlExecutor,
  events: readonly OutgoingEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ');
  const values = events.flatMap((event) => [
    event.payload.eventId,
    event.type,
    event.topic,
    event.key,
    JSON.stringify(event.payload),
    event.correlationId,
    event.traceparent ?? null,
  ]);
  await tx.$executeRawUnsafe(
    `INSERT INTO outbox_events (event_id, event_type, topic, message_key, payload, correlation_id, traceparent) VALUES ${rows}`,
    ...values,
  );
}
