import { createHash } from 'node:crypto';
import { DomainError } from '@commerce/service';

/** One request sent with an Idempotency-Key. */
export interface IdempotencyScope {
  route: string;
  key: string;
  /** Hash of the request (path parameters and body): see fingerprintOf. */
  fingerprint: string;
}

export interface StoredIdempotentResponse {
  fingerprint: string;
  /** The JSON answered; null only while the first request's transaction is open. */
  response: string | null;
}

export interface IdempotencyTx {
  /**
   * Claims the key for this transaction. Undefined when the key is new; the stored request
   * when an earlier transaction committed it (a concurrent one is waited for, not raced).
   */
  claimIdempotencyKey(scope: IdempotencyScope): Promise<StoredIdempotentResponse | undefined>;
  saveIdempotentResponse(scope: IdempotencyScope, response: string): Promise<void>;
}

export interface Idempotent<T> {
  value: T;
  /** True when `value` is the stored response of an earlier request with the same key. */
  replayed: boolean;
}

/** sha256 of the request in a canonical JSON form (object keys sorted). */
export function fingerprintOf(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Runs `work` at most once per Idempotency-Key, inside the caller's transaction: the stored
 * response is written with the effect, so a crash cannot leave one without the other. Only
 * successes are stored; a failed request rolls back its claim and may be retried.
 */
export async function runOnce<T>(
  tx: IdempotencyTx,
  scope: IdempotencyScope | undefined,
  work: () => Promise<T>,
): Promise<Idempotent<T>> {
  if (!scope) return { value: await work(), replayed: false };
  const stored = await tx.claimIdempotencyKey(scope);
  if (stored) {
    if (stored.fingerprint !== scope.fingerprint || stored.response === null) {
      throw new DomainError(
        'IDEMPOTENCY_KEY_REUSED',
        'this Idempotency-Key was used with a different request; use a new key',
      );
    }
    return { value: JSON.parse(stored.response) as T, replayed: true };
  }
  const value = await work();
  await tx.saveIdempotentResponse(scope, JSON.stringify(value));
  return { value, replayed: false };
}
