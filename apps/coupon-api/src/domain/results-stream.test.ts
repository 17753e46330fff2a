import { describe, expect, it } from 'vitest';
import type { CouponResult } from './coupon-result.ts';
import type { CouponRequest } from './model.ts';
import { streamResults } from './results-stream.ts';

const decided = (requestId: string, completedAt: string): CouponRequest => ({
  requestId,
  couponId: 'c',
  userId: 'u',
  sequence: 1,
  status: 'NOTIFIED',
  reason: null,
  userCouponId: `coupon-of-${requestId}`,
  createdAt: new Date('2026-11-26T00:00:00Z'),
  completedAt: new Date(completedAt),
});

const live = (requestId: string): CouponResult => ({
  requestId,
  couponId: 'c',
  userId: 'u',
  sequence: 2,
  status: 'FAILED',
  reason: 'OUT_OF_STOCK',
  userCouponId: null,
  completedAt: '2026-11-26T12:00:00.000Z',
});

/** A feed the test pushes into, and a log whose replay the test releases. */
function fixture(replay: CouponRequest[]) {
  const listeners = new Set<(result: CouponResult) => void>();
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const deps = {
    feed: {
      listen(_userId: string, listener: (result: CouponResult) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    requests: {
      async resultsAfter() {
        await released;
        return replay;
      },
    },
  };
  const push = (result: CouponResult) => {
    for (const listener of listeners) listener(result);
  };
  return { deps, push, release, listeners };
}

describe('streamResults', () => {
  it('when results are decided during the replay, then the replay comes first, then they, each request once', async () => {
    const { deps, push, release } = fixture([decided('r1', '2026-11-26T10:00:00Z')]);
    const sent: CouponResult[] = [];
    const stream = streamResults(deps, { userId: 'u', lastRequestId: 'r0' }, (r) => sent.push(r));

    push(live('r2'));
    push(live('r1')); // a redelivered broadcast of a replayed request
    release();
    await stream.replayed;
    push(live('r2')); // and a live duplicate

    expect(sent.map((r) => r.requestId)).toEqual(['r1', 'r2']);
    expect(sent[0]).toEqual({
      requestId: 'r1',
      couponId: 'c',
      userId: 'u',
      sequence: 1,
      status: 'COMPLETED',
      reason: null,
      userCouponId: 'coupon-of-r1',
      completedAt: '2026-11-26T10:00:00.000Z',
    });
  });

  it('when the shopper saw nothing before, then only live results are sent; stop ends them', async () => {
    const { deps, push, release, listeners } = fixture([decided('old', '2026-11-26T10:00:00Z')]);
    const sent: string[] = [];
    const stream = streamResults(deps, { userId: 'u' }, (r) => sent.push(r.requestId));
    release();
    await stream.replayed;

    push(live('r3'));
    stream.stop();
    push(live('r4'));

    expect(sent).toEqual(['r3']);
    expect(listeners.size).toBe(0);
  });
});
