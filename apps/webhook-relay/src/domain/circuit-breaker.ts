/**
 * The circuit breaker: an endpoint whose attempts have all failed since `failingSince` is
 * disabled once that run lasts `openAfterMs` (days with an hours-long schedule, minutes
 * with the seed's). One success ends the run (failingSince goes back to null).
 */
export function circuitOpens(failingSince: Date | null, now: Date, openAfterMs: number): boolean {
  return failingSince !== null && now.getTime() - failingSince.getTime() >= openAfterMs;
}
