import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStream } from './sse-client.ts';
import { type CouponSystem, startCouponSystem } from './system.ts';

let system: CouponSystem;
beforeAll(async () => {
  system = await startCouponSystem({ workers: 1, apis: 2 });
}, 120_000);
afterAll(() => system?.close());

const results = (events: { event?: string; data: string }[]) =>
  events.filter((e) => e.event === 'coupon-result').map((e) => JSON.parse(e.data));

describe('results over server-sent events', () => {
  it('when a connected shopper asks for a coupon, then the result is pushed on the stream and the request becomes NOTIFIED', async () => {
    const couponId = await system.createCoupon(10);
    const stream = await openEventStream(
      `${system.baseUrl}/users/me/coupon-events`,
      await system.authorization('sse-alice'),
    );
    try {
      const { body } = await system.issue('sse-alice', couponId);
      await stream.until((events) => results(events).some((r) => r.requestId === body.requestId));

      const [result] = results(stream.events);
      expect(result).toMatchObject({
        requestId: body.requestId,
        couponId,
        status: 'COMPLETED',
        userCouponId: expect.any(String),
      });
      expect(stream.events.find((e) => e.event === 'coupon-result')?.id).toBe(body.requestId);
      await system.waitAllNotified(couponId);
    } finally {
      stream.close();
    }
  }, 60_000);

  it('when a shopper reconnects with Last-Event-ID, then the results decided while away arrive', async () => {
    const coupons = [
      await system.createCoupon(10),
      await system.createCoupon(10),
      await system.createCoupon(10),
    ];
    const first = await openEventStream(
      `${system.baseUrl}/users/sse-bob/coupon-events`,
      await system.authorization('sse-bob'),
    );
    const { body: firstRequest } = await system.issue('sse-bob', coupons[0] as string);
    await first.until((events) => results(events).length === 1);
    first.close();

    const missed = [
      await system.issue('sse-bob', coupons[1] as string),
      await system.issue('sse-bob', coupons[2] as string),
    ];
    for (const couponId of coupons) await system.waitAllNotified(couponId);
    const again = await openEventStream(`${system.baseUrl}/users/sse-bob/coupon-events`, {
      ...(await system.authorization('sse-bob')),
      'last-event-id': firstRequest.requestId as string,
    });
    try {
      await again.until((events) => results(events).length === 2);
      expect(
        results(again.events)
          .map((r) => r.requestId)
          .sort(),
      ).toEqual(missed.map((m) => m.body.requestId).sort());
    } finally {
      again.close();
    }
  }, 60_000);

  it("when another shopper's result is decided, then it never reaches this shopper's stream", async () => {
    const couponId = await system.createCoupon(10);
    const mine = await openEventStream(
      `${system.baseUrl}/users/me/coupon-events`,
      await system.authorization('sse-dan'),
    );
    const theirs = await openEventStream(
      `${system.baseUrl}/users/me/coupon-events`,
      await system.authorization('sse-erin'),
    );
    try {
      const { body: erins } = await system.issue('sse-erin', couponId);
      const { body: dans } = await system.issue('sse-dan', couponId);
      await theirs.until((events) => results(events).length === 1);
      await mine.until((events) => results(events).length === 1);
      await system.waitAllNotified(couponId);
      expect(results(theirs.events).map((r) => r.requestId)).toEqual([erins.requestId]);
      expect(results(mine.events).map((r) => r.requestId)).toEqual([dans.requestId]);
    } finally {
      mine.close();
      theirs.close();
    }
  }, 60_000);

  it('when the stream is held by one coupon-api instance and the request goes to another, then the result still arrives', async () => {
    const couponId = await system.createCoupon(10);
    const stream = await openEventStream(
      `${system.apiUrls[1]}/users/me/coupon-events`,
      await system.authorization('sse-carol'),
    );
    try {
      const { body } = await system.issue('sse-carol', couponId, {}, 0); // through the first instance
      await stream.until((events) => results(events).some((r) => r.requestId === body.requestId));
    } finally {
      stream.close();
    }
  }, 60_000);
});
