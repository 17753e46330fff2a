import { type BatchHandler, type DecodedRecord, PermanentError } from '@commerce/kafka';
import type { AnalyticsEvent } from '../domain/model.ts';
import { type RecordBatchDeps, recordBatch } from '../domain/record-batch.ts';
import { invalidReason } from '../domain/validate.ts';

/** The event types the analytics group counts; any other is a dead letter. */
export const analyticsEventTypes = [
  'OrderCompleted',
  'ProductStockChanged',
  'CouponIssueSucceeded',
  'CouponIssueFailed',
] as const;

function toAnalyticsEvent(record: DecodedRecord): AnalyticsEvent {
  const { type, payload, offset } = record;
  if (
    type === 'OrderCompleted' ||
    type === 'ProductStockChanged' ||
    type === 'CouponIssueSucceeded' ||
    type === 'CouponIssueFailed'
  )
    return { type, payload, offset } as AnalyticsEvent;
  throw new PermanentError('UNEXPECTED_EVENT_TYPE', `analytics does not count ${type}`);
}

/** Refuses a record analytics cannot count before it joins a batch. */
export function validateRecord(record: DecodedRecord): void {
  const reason = invalidReason(toAnalyticsEvent(record));
  if (reason) throw new PermanentError('INVALID_EVENT', reason);
}

/** One flush of one partition's slice: the records' events to every sink. */
export function analyticsBatchHandler(
  deps: RecordBatchDeps & { consumerGroup: string },
): BatchHandler {
  return async (records, context) => {
    await recordBatch(deps, {
      source: {
        consumerGroup: deps.consumerGroup,
        topic: context.topic,
        partition: context.partition,
        firstOffset: context.firstOffset,
        lastOffset: context.lastOffset,
      },
      events: records.map(toAnalyticsEvent),
    });
  };
}
