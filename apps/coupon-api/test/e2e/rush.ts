import { inParallel } from '@commerce/testing';
import { expect } from 'vitest';
import type { CouponSystem } from './system.ts';

export interface RushResult {
  userId: string;
  status: number;
  requestId?: string;
  code?: string;
}

/**
 * The rush: `users` shoppers, the first `repeaters` of them sending three times at once,
 * all in random order with `concurrency` requests in flight.
 */
export async function rush(
  system: CouponSystem,
  couponId: string,
  options: {
    users: number;
    repeaters: number;
    concurrency?: number;
    prefix: string;
    onProgress?: (done: number) => void;
  },
): Promise<RushResult[]> {
  const senders: string[] = [];
  for (let i = 0; i < options.users; i++) {
    const userId = `${options.prefix}-u${i}`;
    senders.push(userId);
    if (i < options.repeaters) senders.push(userId, userId);
  }
  senders.sort(() => Math.random() - 0.5);
  let done = 0;
  return inParallel(
    senders.map((userId) => async () => {
      const { status, body } = await system.issue(userId, couponId);
      options.onProgress?.(++done);
      return {
        userId,
        status,
        ...(body.requestId ? { requestId: body.requestId } : {}),
        ...(body.error ? { code: body.error.code } : {}),
      };
    }),
    options.concurrency ?? 100,
  );
}

/** The invariants of the coupon rush, checked against the database after everything settled. */
export async function expectRushInvariants(
  system: CouponSystem,
  couponId: string,
  total: number,
  results: RushResult[],
) {
  const { prisma } = system;
  const accepted = results.filter((r) => r.status === 202);
  const [coupon, issued, rows] = await Promise.all([
    prisma.coupon.findUniqueOrThrow({ where: { id: couponId } }),
    prisma.userCoupon.findMany({ where: { couponId } }),
    prisma.couponRequest.findMany({ where: { couponId } }),
  ]);

  // Only answers a shopper should see: accepted, or refused as sold out / already asked.
  expect(new Set(results.map((r) => `${r.status} ${r.code ?? ''}`.trim()))).toEqual(
    new Set(
      ['202', '409 SOLD_OUT', '409 ALREADY_REQUESTED'].filter((s) =>
        results.some((r) => `${r.status} ${r.code ?? ''}`.trim() === s),
      ),
    ),
  );
  expect(results.filter((r) => r.status >= 500)).toEqual([]);
  // Never oversold, never twice to a user.
  expect(issued).toHaveLength(total);
  expect(coupon.issuedQuantity).toBe(total);
  expect(new Set(issued.map((c) => c.userId)).size).toBe(total);
  // Never lost: every accepted request is in the log, decided and notified; nothing else is.
  expect(new Set(rows.map((r) => r.requestId))).toEqual(new Set(accepted.map((r) => r.requestId)));
  expect(rows.filter((r) => r.status !== 'NOTIFIED')).toEqual([]);
  expect(new Set(accepted.map((r) => r.userId)).size).toBe(accepted.length);
  // Never "issued" without a coupon: every success names the coupon the user owns.
  const couponByRequest = new Map(issued.map((c) => [c.requestId, c.id]));
  for (const row of rows.filter((r) => r.userCouponId))
    expect(couponByRequest.get(row.requestId)).toBe(row.userCouponId);
  // First come, first served: no request admitted before a successful one failed for stock.
  const lastWinner = Math.max(...rows.filter((r) => r.userCouponId).map((r) => Number(r.sequence)));
  const outOfStock = rows.filter((r) => r.reason === 'OUT_OF_STOCK').map((r) => Number(r.sequence));
  expect(outOfStock.filter((sequence) => sequence < lastWinner)).toEqual([]);
}
