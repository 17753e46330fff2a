import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCoupons } from '../src/domain/issue-coupons.ts';
import type { IssueRequest } from '../src/domain/model.ts';
import { createIssuanceHarness, type IssuanceHarness } from './support/harness.ts';

// Deciding in batches must not change a single decision. The requests are those of a rush
// the database has to referee: Redis over-admitted (a fifth of the users ask twice, more
// requests than coupons), and some users hold the coupon already. EQUIVALENCE_REQUESTS=20000
// runs the issue's full size (one at a time then takes minutes).
const REQUESTS = Number(process.env.EQUIVALENCE_REQUESTS ?? 3_000);
const TOTAL = Math.round(REQUESTS / 3);
const BATCH = 500;

let h: IssuanceHarness;
beforeAll(async () => {
  h = await createIssuanceHarness();
});
afterAll(() => h?.close());

/** The same senders in the same admission order, for any coupon. */
const senders = Array.from({ length: REQUESTS }, (_, i) => i)
  .map((i) => `user-${i % Math.round(REQUESTS * 0.8)}`)
  .sort(() => Math.random() - 0.5)
  .map((userId, i) => ({ userId, sequence: i + 1 }));
const earlyHolders = [...new Set(senders.slice(0, 40).map((s) => s.userId))];

async function rushOf(): Promise<{ couponId: string; requests: IssueRequest[] }> {
  const couponId = await h.coupon(TOTAL + earlyHolders.length);
  await h.prisma.userCoupon.createMany({
    data: earlyHolders.map((userId) => ({
      id: randomUUID(),
      couponId,
      userId,
      requestId: randomUUID(),
    })),
  });
  await h.prisma.coupon.update({
    where: { id: couponId },
    data: { issuedQuantity: earlyHolders.length },
  });
  return { couponId, requests: await h.pendingMany(couponId, senders) };
}

const outcomes = async (couponId: string) =>
  (
    await h.prisma.couponRequest.findMany({ where: { couponId }, orderBy: { sequence: 'asc' } })
  ).map((r) => `${r.sequence} ${r.userId} ${r.status} ${r.reason ?? ''}`);

describe('batched and one at a time', () => {
  it(`when the same ${REQUESTS} requests are decided in batches of ${BATCH} and one at a time, then every request gets the same decision`, async () => {
    const single = await rushOf();
    const batched = await rushOf();

    for (const request of single.requests) await issueCoupons(h.deps(), [request]);
    for (let i = 0; i < REQUESTS; i += BATCH) {
      // Shuffled within the batch: the use case restores admission order itself.
      const batch = batched.requests.slice(i, i + BATCH).sort(() => Math.random() - 0.5);
      await issueCoupons(h.deps(), batch);
    }

    const [one, many] = [await outcomes(single.couponId), await outcomes(batched.couponId)];
    expect(many).toEqual(one);
    expect(one.filter((o) => o.includes('COMPLETED'))).toHaveLength(TOTAL);
    expect(one.some((o) => o.includes('ALREADY_ISSUED'))).toBe(true);
    expect(one.some((o) => o.includes('OUT_OF_STOCK'))).toBe(true);
  }, 600_000);
});
