import { type BackoffPolicy, backoffDelay, waitWithHeartbeat } from './backoff.ts';
import type { FailureKind } from './errors.ts';

export type RetryPolicy = BackoffPolicy & { attempts: number };

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 3,
  initialDelayMs: 200,
  maxDelayMs: 2_000,
  jitter: 0.2,
};

/** How a unit of work (one message, or one batch of records) ended after its retries. */
export type AttemptOutcome =
  | { done: true; attempts: number }
  | { done: false; kind: FailureKind; error: unknown; attempts: number };

/**
 * Runs `work`, retrying transient failures in place with backoff (heartbeating while it
 * waits, so the group keeps this member). Stops at the first permanent or unknown failure,
 * or when the attempts ran out; the caller decides what each of those means.
 */
export async function withRetries(
  work: () => Promise<void>,
  options: {
    policy: RetryPolicy;
    classify: (err: unknown) => FailureKind;
    heartbeat: () => Promise<void>;
    onRetry: (attempt: number, error: unknown) => void;
  },
): Promise<AttemptOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      await work();
      return { done: true, attempts: attempt };
    } catch (error) {
      const kind = options.classify(error);
      if (kind !== 'transient' || attempt >= options.policy.attempts)
        return { done: false, kind, error, attempts: attempt };
      options.onRetry(attempt, error);
      await waitWithHeartbeat(backoffDelay(attempt, options.policy), options.heartbeat);
    }
  }
}
