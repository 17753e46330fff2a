import { describe, expect, it } from 'vitest';
import { windowRejection } from './eligibility.ts';

const coupon = {
  validFrom: new Date('2026-11-01T00:00:00Z'),
  validUntil: new Date('2026-11-02T00:00:00Z'),
};

describe('windowRejection', () => {
  it.each([
    ['2026-10-31T23:59:59.999Z', 'NOT_STARTED'],
    ['2026-11-01T00:00:00.000Z', null],
    ['2026-11-01T23:59:59.999Z', null],
    ['2026-11-02T00:00:00.000Z', 'EXPIRED'],
  ])('at %s the answer is %s', (now, expected) => {
    expect(windowRejection(coupon, new Date(now))).toBe(expected);
  });

  it('rejects a coupon that does not exist', () => {
    expect(windowRejection(null, new Date())).toBe('COUPON_NOT_FOUND');
  });
});
