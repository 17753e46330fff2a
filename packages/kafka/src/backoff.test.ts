import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

const policy = { initialDelayMs: 1_000, maxDelayMs: 8_000, jitter: 0 };

describe('backoffDelay', () => {
  it('doubles from the initial delay and stops at the maximum', () => {
    expect([1, 2, 3, 4, 5, 10].map((attempt) => backoffDelay(attempt, policy))).toEqual([
      1_000, 2_000, 4_000, 8_000, 8_000, 8_000,
    ]);
  });

  it('spreads delays over the jitter fraction below the exponential value', () => {
    const jittered = { ...policy, jitter: 0.5 };
    expect(backoffDelay(2, jittered, () => 0)).toBe(1_000);
    expect(backoffDelay(2, jittered, () => 1)).toBe(2_000);
  });
});
