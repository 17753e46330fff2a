import { randomUUID } from 'node:crypto';
import { PermanentError } from '@commerce/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IssueCouponsDeps, issueCoupons } from '../src/domain/issue-coupons.ts';
import type { IssueRequest } from '../src/domain/model.ts';
import { couponRequestsHandler } from '../src/handlers/coupon-requests.handler.ts';
import { createIssuanceHarness, type IssuanceHarness, now, silent } from './support/harness.ts';

let h: IssuanceHarness;
beforeAll(async () => {
  h = await createIssuanceHarness();
});
afterAll(() => h?.close());

const decide = (requests: IssueRequest[]) => issueCoupons(h.deps(), requests);
const outcomeOf = async (request: IssueRequest) =>
  (await decide([request])).decided[0]?.outcome ?? null;
const context = {
  log: silent,
  topic: 't',
  partition: 0,
  firstOffset: '0',
  lastOffset: '0',
  heartbeat: async () => undefined,
};
const asRecord = (request: IssueRequest) => ({
  type: 'CouponIssueRequested' as const,
  payload: { ...request, occurredAt: now.getTime() },
  topic: 't',
  partition: 0,
  offset: '0',
  key: request.userId,
  headers: {},
});
const outboxTypes = async (requestId: string) =>
  (await h.prisma.outboxEvent.findMany({ orderBy: { id: 'asc' } }))
    .filter((row) => JSON.parse(row.payload).requestId === requestId)
    .map((row) => row.eventType);
const issuedCount = async (couponId: string) =>
  (await h.prisma.coupon.findUniqueOrThrow({ where: { id: couponId } })).issuedQuantity;
const written = async () => ({
  coupons: await h.prisma.userCoupon.count(),
  outbox: await h.prisma.outboxEvent.count(),
  requests: await h.prisma.couponRequest.findMany({ orderBy: { requestId: 'asc' } }),
});

describe('issuing in one transaction', () => {
  it('when stock is left, then the coupon is issued, the request COMPLETED, and both result events are in the outbox', async () => {
    const request = await h.pending(await h.coupon(1), 'u1');
    let woken = 0;
    const { decided } = await issueCoupons(
      h.deps(3, () => {
        woken++;
      }),
      [request],
    );

    const outcome = decided[0]?.outcome;
    expect(outcome).toEqual({ kind: 'issued', userCouponId: expect.any(String) });
    expect(
      await h.prisma.couponRequest.findUnique({ where: { requestId: request.requestId } }),
    ).toMatchObject({
      status: 'COMPLETED',
      userCouponId: outcome?.kind === 'issued' ? outcome.userCouponId : 'x',
      completedAt: now,
    });
    expect(await outboxTypes(request.requestId)).toEqual(['CouponIssueSucceeded', 'CouponIssued']);
    expect(woken).toBe(1); // the relay is woken after the commit
  });

  it('when a batch is delivered again, whole or in part with new requests, then what was decided stays as it was', async () => {
    const couponId = await h.coupon(5);
    const first = await h.pendingMany(couponId, [
      { userId: 'u1', sequence: 1 },
      { userId: 'u2', sequence: 2 },
      { userId: 'u3', sequence: 3 },
    ]);
    await decide(first);
    const before = await written();

    expect(await decide(first)).toEqual({ decided: [], redelivered: 3 });
    expect(await written()).toEqual(before);

    const [late] = await h.pendingMany(couponId, [{ userId: 'u4', sequence: 4 }]);
    const again = await decide([late as IssueRequest, ...first.slice(1), late as IssueRequest]);
    expect(again.redelivered).toBe(3);
    expect(again.decided.map((d) => [d.request.userId, d.outcome.kind])).toEqual([
      ['u4', 'issued'],
    ]);
    expect(await issuedCount(couponId)).toBe(4);
    // Recorded as redelivered: u1-u3 (the whole batch again), and u4's event twice in one batch.
    expect(await h.prisma.processedEvent.count({ where: { redeliveries: { gt: 0 } } })).toBe(4);
  });

  it.each([
    [
      'the coupon has expired',
      { from: '2026-11-01T00:00:00Z', until: '2026-11-26T11:00:00Z' },
      'EXPIRED',
    ],
    [
      'the coupon has not started',
      { from: '2026-11-26T13:00:00Z', until: '2026-11-27T00:00:00Z' },
      'NOT_STARTED',
    ],
  ] as const)(
    'when %s, then the request FAILS with %s and no coupon is issued',
    async (_, window, reason) => {
      const request = await h.pending(await h.coupon(5, window), 'u1');
      expect(await outcomeOf(request)).toEqual({ kind: 'rejected', reason });
      expect(
        await h.prisma.couponRequest.findUnique({ where: { requestId: request.requestId } }),
      ).toMatchObject({ status: 'FAILED', reason });
      expect(await outboxTypes(request.requestId)).toEqual(['CouponIssueFailed']);
    },
  );

  it('when the coupon does not exist, then COUPON_NOT_FOUND', async () => {
    const request = await h.pending('ghost-coupon', 'u1');
    expect(await outcomeOf(request)).toEqual({ kind: 'rejected', reason: 'COUPON_NOT_FOUND' });
  });

  it('when more requests come than coupons (Redis over-admitted), then the database refuses the later ones as OUT_OF_STOCK', async () => {
    const couponId = await h.coupon(1);
    const [a, b] = await h.pendingMany(couponId, [
      { userId: 'u1', sequence: 1 },
      { userId: 'u2', sequence: 2 },
    ]);
    const { decided } = await decide([b as IssueRequest, a as IssueRequest]);
    expect(decided.map((d) => [d.request.sequence, d.outcome])).toEqual([
      [1, { kind: 'issued', userCouponId: expect.any(String) }],
      [2, { kind: 'rejected', reason: 'OUT_OF_STOCK' }],
    ]);
    expect(await issuedCount(couponId)).toBe(1);
  });

  it('when a user already has the coupon (Redis forgot them), then ALREADY_ISSUED and stock is untouched', async () => {
    const couponId = await h.coupon(5);
    await decide([await h.pending(couponId, 'u1', 1)]);
    expect(await outcomeOf(await h.pending(couponId, 'u1', 2))).toEqual({
      kind: 'rejected',
      reason: 'ALREADY_ISSUED',
    });
    expect(await issuedCount(couponId)).toBe(1);
  });

  it('when a request is not in the log, then the handler fails the batch for good (the runner then dead-letters that record alone) and nothing is written', async () => {
    const couponId = await h.coupon(5);
    const logged = await h.pending(couponId, 'u1');
    const ghost = { ...logged, eventId: randomUUID(), requestId: randomUUID(), userId: 'u2' };
    const handled = couponRequestsHandler(h.deps())([asRecord(logged), asRecord(ghost)], context);
    await expect(handled).rejects.toBeInstanceOf(PermanentError);
    await expect(handled).rejects.toMatchObject({ code: 'UNKNOWN_REQUEST' });
    expect(await outboxTypes(logged.requestId)).toEqual([]);
    expect(await issuedCount(couponId)).toBe(0);
  });
});

describe('batches under concurrency', () => {
  it('when another batch takes the stock between this batch reading it and taking it, then this batch is decided again with the coupon locked: OUT_OF_STOCK, never oversold', async () => {
    const couponId = await h.coupon(2);
    const ours = await h.pendingMany(couponId, [
      { userId: 'late-1', sequence: 3 },
      { userId: 'late-2', sequence: 4 },
    ]);
    const rivals = await h.pendingMany(couponId, [
      { userId: 'early-1', sequence: 1 },
      { userId: 'early-2', sequence: 2 },
    ]);
    const base = h.deps();
    let raced = false;
    const racing: IssueCouponsDeps = {
      ...base,
      store: {
        transaction: (work) =>
          base.store.transaction((tx) =>
            work({
              ...tx,
              async readCoupons(ids) {
                const stock = await tx.readCoupons(ids);
                if (!raced) {
                  raced = true;
                  await decide(rivals); // commits while this transaction waits
                }
                return stock;
              },
            }),
          ),
      },
    };

    const { decided } = await issueCoupons(racing, ours);

    expect(raced).toBe(true);
    expect(decided.map((d) => d.outcome)).toEqual([
      { kind: 'rejected', reason: 'OUT_OF_STOCK' },
      { kind: 'rejected', reason: 'OUT_OF_STOCK' },
    ]);
    expect(await issuedCount(couponId)).toBe(2);
    expect(
      (await h.prisma.userCoupon.findMany({ where: { couponId } })).map((c) => c.userId).sort(),
    ).toEqual(['early-1', 'early-2']);
  });

  it('when 60 requests from 30 users (two each) race for 10 coupons in batches of 5, then exactly 10 users get one each', async () => {
    const couponId = await h.coupon(10);
    const requests = await h.pendingMany(
      couponId,
      Array.from({ length: 60 }, (_, i) => ({ userId: `racer-${i % 30}`, sequence: i + 1 })),
    );
    // As the consumer runner does: transient failures (locks busy, unique race) are tried again.
    const deliver = async (batch: IssueRequest[], attempts = 20): Promise<void> => {
      try {
        await issueCoupons(h.deps(20), batch);
      } catch (err) {
        if (attempts <= 1) throw err;
        await deliver(batch, attempts - 1);
      }
    };
    const batches = Array.from({ length: 12 }, (_, i) => requests.slice(i * 5, i * 5 + 5));
    await Promise.all(batches.map((batch) => deliver(batch)));

    const issued = await h.prisma.userCoupon.findMany({ where: { couponId } });
    expect(issued).toHaveLength(10);
    expect(new Set(issued.map((c) => c.userId)).size).toBe(10);
    expect(await h.prisma.couponRequest.count({ where: { couponId, status: 'PENDING' } })).toBe(0);
  });
});
