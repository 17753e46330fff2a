import { toFacts } from './facts.ts';
import type { AnalyticsBatch, AnalyticsSink } from './model.ts';

export interface RecordBatchDeps {
  /** In order; each must have taken the batch before the next gets it. */
  sinks: readonly AnalyticsSink[];
  timeZone: string;
}

/**
 * One flush: the batch's events become facts in their local hours and go to every sink.
 * A sink that fails fails the flush; the batch is retried as a whole, and each sink counts
 * a batch it already took once (the database by event id, the platform by Idempotency-Key).
 */
export async function recordBatch(deps: RecordBatchDeps, batch: AnalyticsBatch): Promise<void> {
  const facts = toFacts(batch.events, deps.timeZone);
  for (const sink of deps.sinks) await sink.write({ source: batch.source, facts });
}
