import { anEvent } from '@commerce/events/testing';
import { describe, expect, it } from 'vitest';
import { resultOfEvent, resultOfRequest } from './coupon-result.ts';
import type { CouponRequest } from './model.ts';

const at = Date.parse('2026-11-26T12:00:00Z');

/** The log row the worker left for the decision the event announces. */
const rowOf = (
  event: { requestId: string; couponId: string; userId: string; sequence: number },
  decided: Pick<CouponRequest, 'status' | 'reason' | 'userCouponId'>,
): CouponRequest => ({
  ...event,
  ...decided,
  createdAt: new Date(at - 1_000),
  completedAt: new Date(at),
});

describe('the shopper result', () => {
  it('when a coupon was issued, then the event and the log give the same COMPLETED result', () => {
    const event = anEvent('CouponIssueSucceeded', { occurredAt: at });
    const result = resultOfEvent(event);

    expect(result).toEqual({
      requestId: event.requestId,
      couponId: event.couponId,
      userId: event.userId,
      sequence: event.sequence,
      status: 'COMPLETED',
      reason: null,
      userCouponId: event.userCouponId,
      completedAt: '2026-11-26T12:00:00.000Z',
    });
    expect(
      resultOfRequest(
        rowOf(event, { status: 'NOTIFIED', reason: null, userCouponId: event.userCouponId }),
      ),
    ).toEqual(result);
  });

  it('when the request was refused, then the event and the log give the same FAILED result with its reason', () => {
    const event = anEvent('CouponIssueFailed', { occurredAt: at, reason: 'OUT_OF_STOCK' });
    const result = resultOfEvent(event);

    expect(result).toMatchObject({ status: 'FAILED', reason: 'OUT_OF_STOCK', userCouponId: null });
    expect(
      resultOfRequest(
        rowOf(event, { status: 'FAILED', reason: 'OUT_OF_STOCK', userCouponId: null }),
      ),
    ).toEqual(result);
  });
});
