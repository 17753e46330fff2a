import { PermanentError } from '@commerce/events';
import { anEvent } from '@commerce/events/testing';
import { describe, expect, it } from 'vitest';
import { type CountOrderDeps, countOrder, type RankingWriter } from './count-order.ts';

function recorder() {
  const calls: Parameters<RankingWriter['countOnce']>[0][] = [];
  const ranking: RankingWriter = {
    async countOnce(input) {
      calls.push(input);
      return 'counted';
    },
  };
  return { calls, ranking };
}

const deps = (
  ranking: RankingWriter,
  now = Date.parse('2026-03-10T00:00:00Z'),
): CountOrderDeps => ({
  ranking,
  timeZone: 'Asia/Seoul',
  now: () => now,
});

describe('countOrder', () => {
  it('when an order completed just after midnight in Seoul, then its units go to that Seoul day, kept 8 days', async () => {
    const { calls, ranking } = recorder();
    const completedAt = Date.parse('2026-03-09T15:00:00Z');
    const event = anEvent('OrderCompleted', { completedAt });

    expect(await countOrder(deps(ranking), event)).toBe('counted');
    expect(calls).toEqual([
      {
        eventId: event.eventId,
        day: '2026-03-10',
        lines: event.items.map(({ productId, quantity }) => ({ productId, quantity })),
        expiresAt: completedAt + 8 * 24 * 3_600_000,
      },
    ]);
  });

  it('when an order is older than every window, then nothing is written', async () => {
    const { calls, ranking } = recorder();
    const event = anEvent('OrderCompleted', { completedAt: Date.parse('2026-03-01T00:00:00Z') });

    expect(await countOrder(deps(ranking, Date.parse('2026-03-09T00:00:01Z')), event)).toBe(
      'expired',
    );
    expect(calls).toEqual([]);
  });

  it('when a line has no units, then the event is rejected for good (dead letter)', async () => {
    const { calls, ranking } = recorder();
    const event = anEvent('OrderCompleted', {
      items: [{ productId: 'p', quantity: 0, unitPrice: 1 }],
    });

    await expect(countOrder(deps(ranking), event)).rejects.toBeInstanceOf(PermanentError);
    await expect(
      countOrder(deps(ranking), anEvent('OrderCompleted', { items: [] })),
    ).rejects.toBeInstanceOf(PermanentError);
    expect(calls).toEqual([]);
  });
});
