import type { AttemptDecision } from './attempt-outcome.ts';
import type { AttemptRecord, IncomingEvent, SigningSecrets } from './model.ts';

/** A delivery claimed for one attempt, with all the sender needs. */
export interface ClaimedDelivery {
  seq: number;
  id: string;
  endpointId: string;
  url: string;
  rateLimitPerSecond: number | null;
  secrets: SigningSecrets;
  /** Attempts made before this one. */
  attempts: number;
  /** When this attempt was due (its punctuality is measured from here). */
  dueAt: Date;
  eventType: string;
  messageId: string;
  body: string;
}

/** One finished attempt and what it decided, recorded with the others of its flush. */
export interface AttemptResult {
  delivery: ClaimedDelivery;
  attempt: AttemptRecord;
  decision: AttemptDecision;
  /** When the retry is due (FAILED only). */
  nextAttemptAt: Date | null;
}

/** The hot path's storage: few statements for many deliveries (data-access implements it). */
export interface DispatchStore {
  /** Fans events out to the enabled (or circuit-paused) subscribed endpoints; a known event adds nothing. */
  recordEvents(events: readonly IncomingEvent[], now: Date): Promise<number>;
  /**
   * Claims up to `limit` due deliveries (SKIP LOCKED: replicas share the work), leased for
   * `leaseMs`; an ordered endpoint's only its head; none of `skipEndpoints`.
   */
  claimDue(input: {
    limit: number;
    leaseMs: number;
    skipEndpoints: readonly string[];
    now: Date;
  }): Promise<ClaimedDelivery[]>;
  /**
   * Records a flush of attempts in one transaction: attempt rows, delivery states, the
   * endpoints' health (410, circuit breaker) and the dead-letter envelopes (outbox).
   * Returns the endpoints it disabled.
   */
  recordAttempts(results: readonly AttemptResult[], now: Date): Promise<string[]>;
  /** Gives claimed deliveries that were never sent back, due now (at shutdown). */
  release(deliveries: readonly ClaimedDelivery[], now: Date): Promise<void>;
}
