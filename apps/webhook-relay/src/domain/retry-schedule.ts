/**
 * The retry schedule: the delay before each retry, the seed's 1 s, 2 s, 4 s, 8 s by default.
 * After the last delay's attempt fails, the delivery is dead-lettered, so a schedule of n
 * delays means n + 1 attempts.
 */
export interface RetrySchedule {
  delaysMs: readonly number[];
  /** Each delay is moved by up to ± this fraction at random, so retries of a burst spread out. */
  jitter: number;
}

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses "1s,2s,4s,8s" or "5s,5m,30m,2h,5h,10h,10h"; undefined when any part is not a duration. */
export function parseDelays(text: string): number[] | undefined {
  const parts = text.split(',').map((part) => part.trim());
  const delays = parts.map((part) => {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(part);
    return match ? Number(match[1]) * (UNITS[match[2] as string] as number) : Number.NaN;
  });
  return delays.length > 0 && delays.every((d) => Number.isFinite(d) && d > 0) ? delays : undefined;
}

/**
 * The delay after failed attempt number `attempt` (1-based), or undefined when it was the
 * last one. `random` is in [0, 1).
 */
export function retryDelayMs(
  schedule: RetrySchedule,
  attempt: number,
  random: number,
): number | undefined {
  const base = schedule.delaysMs[attempt - 1];
  if (base === undefined) return undefined;
  return Math.round(base * (1 + schedule.jitter * (2 * random - 1)));
}

/** Attempts in all: the first plus one per delay. */
export const maxAttempts = (schedule: RetrySchedule): number => schedule.delaysMs.length + 1;
