import { describe, expect, it } from 'vitest';
import {
  decideAttempt,
  MAX_RETRY_AFTER_MS,
  type PostResult,
  retryAfterMs,
} from './attempt-outcome.ts';

const schedule = { delaysMs: [1_000, 2_000, 4_000, 8_000], jitter: 0 };
const now = Date.parse('2026-12-02T12:00:00Z');
const decide = (result: PostResult, attempt = 1) =>
  decideAttempt({ result, attempt, schedule, now, random: 0.5 });
const status = (code: number, retryAfter: string | null = null): PostResult => ({
  kind: 'response',
  status: code,
  retryAfter,
});

describe('attempt outcome', () => {
  it('when the receiver answers 2xx, then the delivery is completed', () => {
    for (const code of [200, 201, 204, 299]) expect(decide(status(code)).status).toBe('COMPLETED');
  });

  it('when the receiver answers 410, then the endpoint is gone and the delivery waits for it', () => {
    expect(decide(status(410))).toEqual({ status: 'PAUSED', outcome: 'gone', endpoint: 'gone' });
  });

  it('when a failure is not the last attempt, then it is retried after the scheduled delay', () => {
    expect(decide(status(500), 1)).toMatchObject({ status: 'FAILED', retryInMs: 1_000 });
    expect(decide(status(500), 3)).toMatchObject({ status: 'FAILED', retryInMs: 4_000 });
    expect(decide({ kind: 'error', error: 'ECONNREFUSED' }, 2)).toMatchObject({
      status: 'FAILED',
      outcome: 'error',
      retryInMs: 2_000,
    });
  });

  it('treats a redirect as a failure (redirects are not followed)', () => {
    expect(decide(status(302))).toMatchObject({ status: 'FAILED', outcome: 'redirect' });
  });

  it('when the last attempt fails, then the delivery is dead-lettered', () => {
    expect(decide(status(500), 5)).toEqual({
      status: 'DEAD_LETTER',
      outcome: 'http_500',
      endpoint: 'failing',
    });
  });

  it('when 429 or 503 say Retry-After, then the retry waits that long instead of the schedule', () => {
    expect(decide(status(429, '3'))).toMatchObject({ status: 'FAILED', retryInMs: 3_000 });
    expect(decide(status(503, 'Wed, 02 Dec 2026 12:00:10 GMT'))).toMatchObject({
      retryInMs: 10_000,
    });
    expect(decide(status(429))).toMatchObject({ retryInMs: 1_000 });
    expect(decide(status(500, '30'))).toMatchObject({ retryInMs: 1_000 });
  });

  it('reads Retry-After as seconds or a date, caps it, and ignores nonsense', () => {
    expect(retryAfterMs('0', now)).toBe(0);
    expect(retryAfterMs('999999999', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterMs('Wed, 02 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBe(undefined);
    expect(retryAfterMs(null, now)).toBe(undefined);
  });
});
