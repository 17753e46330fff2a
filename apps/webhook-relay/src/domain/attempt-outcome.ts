import { maxAttempts, type RetrySchedule, retryDelayMs } from './retry-schedule.ts';

/** What one POST gave: a response (any status, redirects included) or no response at all. */
export type PostResult =
  | { kind: 'response'; status: number; retryAfter: string | null }
  | { kind: 'error'; error: string };

/** What becomes of the delivery after an attempt, and what it says about the endpoint. */
export type AttemptDecision =
  | { status: 'COMPLETED'; outcome: 'delivered'; endpoint: 'healthy' }
  | { status: 'FAILED'; outcome: string; retryInMs: number; endpoint: 'failing' }
  | { status: 'DEAD_LETTER'; outcome: string; endpoint: 'failing' }
  /** 410 Gone: the endpoint is disabled; the delivery waits, PAUSED, for it to come back. */
  | { status: 'PAUSED'; outcome: 'gone'; endpoint: 'gone' };

/** The longest Retry-After honoured: a receiver cannot park a delivery for longer. */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/** Retry-After as delta-seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const text = header.trim();
  const ms = /^\d+$/.test(text) ? Number(text) * 1_000 : Date.parse(text) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

function outcomeOf(result: PostResult): string {
  if (result.kind === 'error') return 'error';
  if (result.status >= 300 && result.status < 400) return 'redirect';
  return `http_${result.status}`;
}

/**
 * Decides the delivery's next state from attempt number `attempt` (1-based): 2xx delivered;
 * 410 disables the endpoint; 429 and 503 wait for Retry-After when given; everything else
 * (3xx included: redirects are not followed) is retried on the schedule, then dead-lettered.
 */
export function decideAttempt(input: {
  result: PostResult;
  attempt: number;
  schedule: RetrySchedule;
  now: number;
  random: number;
}): AttemptDecision {
  const { result, attempt, schedule } = input;
  if (result.kind === 'response' && result.status >= 200 && result.status < 300)
    return { status: 'COMPLETED', outcome: 'delivered', endpoint: 'healthy' };
  if (result.kind === 'response' && result.status === 410)
    return { status: 'PAUSED', outcome: 'gone', endpoint: 'gone' };
  const outcome = outcomeOf(result);
  if (attempt >= maxAttempts(schedule))
    return { status: 'DEAD_LETTER', outcome, endpoint: 'failing' };
  const scheduled = retryDelayMs(schedule, attempt, input.random) ?? 0;
  const asked =
    result.kind === 'response' && (result.status === 429 || result.status === 503)
      ? retryAfterMs(result.retryAfter, input.now)
      : undefined;
  return { status: 'FAILED', outcome, retryInMs: asked ?? scheduled, endpoint: 'failing' };
}
