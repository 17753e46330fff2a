import { describe, expect, it } from 'vitest';
import { type CouponStock, decideInOrder } from './decide-in-order.ts';
import type { IssueRequest } from './model.ts';

const now = new Date('2026-11-26T12:00:00Z');
const open: CouponStock = {
  validFrom: new Date('2026-11-26T00:00:00Z'),
  validUntil: new Date('2026-11-27T00:00:00Z'),
  remaining: 2,
};
const request = (userId: string, sequence: number): IssueRequest => ({
  eventId: `e${sequence}`,
  requestId: `r${sequence}`,
  userId,
  couponId: 'c',
  sequence,
  correlationId: 'c',
});
let ids = 0;
const newId = () => `uc${++ids}`;
const summary = (decisions: ReturnType<typeof decideInOrder>) =>
  decisions.map(({ request, outcome }) => [
    request.sequence,
    outcome.kind === 'issued' ? 'issued' : outcome.reason,
  ]);

describe('decideInOrder', () => {
  it('when requests arrive out of order, then they are decided by sequence: the first two win, a user wins once, the rest are out of stock', () => {
    const decisions = decideInOrder(
      open,
      [request('c', 4), request('a', 2), request('a', 1), request('b', 3), request('d', 5)],
      new Set(),
      now,
      newId,
    );
    expect(summary(decisions)).toEqual([
      [1, 'issued'],
      [2, 'ALREADY_ISSUED'],
      [3, 'issued'],
      [4, 'OUT_OF_STOCK'],
      [5, 'OUT_OF_STOCK'],
    ]);
  });

  it('when a user already holds the coupon, then ALREADY_ISSUED and the place goes to the next', () => {
    const decisions = decideInOrder(
      open,
      [request('a', 1), request('b', 2)],
      new Set(['a']),
      now,
      newId,
    );
    expect(summary(decisions)).toEqual([
      [1, 'ALREADY_ISSUED'],
      [2, 'issued'],
    ]);
  });

  it.each([
    ['unknown', null, 'COUPON_NOT_FOUND'],
    ['closed', { ...open, validUntil: now }, 'EXPIRED'],
  ] as const)(
    'when the coupon is %s, then every request is refused with %s',
    (_, coupon, reason) => {
      const decisions = decideInOrder(
        coupon,
        [request('a', 1), request('b', 2)],
        new Set(),
        now,
        newId,
      );
      expect(summary(decisions)).toEqual([
        [1, reason],
        [2, reason],
      ]);
    },
  );
});
