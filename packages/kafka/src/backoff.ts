export interface BackoffPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** Fraction of the delay drawn at random (0..1), so many consumers do not retry in step. */
  jitter: number;
}

/** Delay before retry number `attempt` (1-based): exponential, capped, with jitter. */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(
    policy.maxDelayMs,
    policy.initialDelayMs * 2 ** Math.max(0, attempt - 1),
  );
  const spread = exponential * policy.jitter;
  return Math.round(exponential - spread + random() * spread);
}

/** Waits `ms` while telling the group coordinator every second that this member is alive. */
export async function waitWithHeartbeat(ms: number, heartbeat: () => Promise<void>): Promise<void> {
  const until = Date.now() + ms;
  for (let left = ms; left > 0; left = until - Date.now()) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(left, 1_000)));
    await heartbeat();
  }
}
