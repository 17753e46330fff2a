import { describe, expect, it } from 'vitest';
import { maxAttempts, parseDelays, retryDelayMs } from './retry-schedule.ts';

describe('retry schedule', () => {
  it('parses the seed schedule and the hours-long one', () => {
    expect(parseDelays('1s,2s,4s,8s')).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(parseDelays('5s, 5m, 30m, 2h, 5h, 10h, 10h')).toEqual([
      5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
    ]);
    expect(parseDelays('250ms')).toEqual([250]);
  });

  it('refuses anything that is not a list of positive durations', () => {
    for (const text of ['', '1', '1s,,2s', '-1s', '0s', '1 week', 's'])
      expect(parseDelays(text)).toBe(undefined);
  });

  it('when there is no jitter, then each retry waits its delay, and there is none after the last', () => {
    const schedule = { delaysMs: [1_000, 2_000, 4_000, 8_000], jitter: 0 };
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(schedule, n, 0.7))).toEqual([
      1_000,
      2_000,
      4_000,
      8_000,
      undefined,
    ]);
    expect(maxAttempts(schedule)).toBe(5);
  });

  it('moves each delay by at most the jitter fraction, both ways', () => {
    const schedule = { delaysMs: [10_000], jitter: 0.2 };
    expect(retryDelayMs(schedule, 1, 0)).toBe(8_000);
    expect(retryDelayMs(schedule, 1, 0.5)).toBe(10_000);
    expect(retryDelayMs(schedule, 1, 0.999_999)).toBe(12_000);
  });
});
