import type { BatchHandler, DecodedRecord } from '@commerce/kafka';
import type { DispatchStore } from '../domain/dispatch-store.ts';
import { type IncomingEvent, subscribableEventTypes, webhookBody } from '../domain/model.ts';

/** The event types this group delivers; any other on external-events is a dead letter. */
export const relayedEventTypes = subscribableEventTypes;

function toIncoming(record: DecodedRecord): IncomingEvent {
  const payload = record.payload as { eventId: string; occurredAt: number };
  return {
    id: payload.eventId,
    type: record.type as IncomingEvent['type'],
    occurredAt: new Date(payload.occurredAt),
    body: webhookBody({
      type: record.type,
      id: payload.eventId,
      occurredAt: payload.occurredAt,
      data: record.payload,
    }),
  };
}

/**
 * One slice of external-events: its deliveries recorded in one transaction (the runner
 * commits the offsets after), then the scheduler woken. No HTTP and no waiting here: a
 * slow endpoint can never hold the partition.
 */
export function externalEventsHandler(deps: {
  store: DispatchStore;
  wake: () => void;
}): BatchHandler {
  return async (records) => {
    await deps.store.recordEvents(records.map(toIncoming), new Date());
    deps.wake();
  };
}
