/** The event types external systems may subscribe to: those external-events carries. */
export const subscribableEventTypes = ['PaymentCompleted', 'CouponIssued'] as const;
export type SubscribableEventType = (typeof subscribableEventTypes)[number];

export type EndpointStatus = 'ENABLED' | 'DISABLED';
/** Why an endpoint is disabled: by an operator, by a 410 answer, by the circuit breaker. */
export type DisabledReason = 'MANUAL' | 'GONE' | 'CIRCUIT_OPEN';

export interface Endpoint {
  id: string;
  url: string;
  description: string | null;
  eventTypes: SubscribableEventType[];
  status: EndpointStatus;
  disabledReason: DisabledReason | null;
  rateLimitPerSecond: number | null;
  ordered: boolean;
  failingSince: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The secrets a delivery is signed with: the current one, and the previous during its grace period. */
export interface SigningSecrets {
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

export type DeliveryStatus =
  | 'PUBLISHED'
  | 'IN_PROGRESS'
  | 'COMPLETED'
  | 'FAILED'
  | 'DEAD_LETTER'
  | 'PAUSED';

export interface AttemptRecord {
  attemptNo: number;
  dueAt: Date;
  startedAt: Date;
  statusCode: number | null;
  latencyMs: number;
  outcome: string;
  error: string | null;
  responseBody: string | null;
}

export interface Delivery {
  id: string;
  endpointId: string;
  messageId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  completedAt: Date | null;
  createdAt: Date;
  attemptLog: AttemptRecord[];
}

/** An event as consumed, ready to fan out: its id, type, time and the webhook body. */
export interface IncomingEvent {
  id: string;
  type: SubscribableEventType;
  occurredAt: Date;
  body: string;
}

/** The webhook body: the event as JSON, the envelope Standard Webhooks suggests. */
export function webhookBody(event: {
  type: string;
  id: string;
  occurredAt: number;
  data: object;
}): string {
  return JSON.stringify({
    type: event.type,
    id: event.id,
    timestamp: new Date(event.occurredAt).toISOString(),
    data: event.data,
  });
}
