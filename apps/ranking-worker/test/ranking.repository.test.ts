import { randomUUID } from 'node:crypto';
import { TransientError } from '@commerce/kafka';
import { deleteKeys, stackAddresses, uniqueName } from '@commerce/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRankingWriter } from '../src/data-access/ranking.repository.ts';

const redis = new Redis(stackAddresses().redisUrl);
const prefix = `${uniqueName('rw-repo')}:ranking:`;
afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

describe('counting in Redis', () => {
  it('when one event is counted by 20 callers at once, then its units are added exactly once', async () => {
    const writer = createRankingWriter(redis, prefix);
    const eventId = randomUUID();
    const expiresAt = Date.now() + 60_000;
    const input = {
      eventId,
      day: '2026-03-10',
      lines: [
        { productId: 'p-1', quantity: 3 },
        { productId: 'p-2', quantity: 1 },
      ],
      expiresAt,
    };

    const outcomes = await Promise.all(Array.from({ length: 20 }, () => writer.countOnce(input)));

    expect(outcomes.filter((o) => o === 'counted')).toHaveLength(1);
    expect(await redis.zrange(`${prefix}daily:2026-03-10`, 0, -1, 'WITHSCORES')).toEqual([
      'p-2',
      '1',
      'p-1',
      '3',
    ]);
    // The day and its dedupe mark expire together, at the time asked.
    expect(await redis.pexpiretime(`${prefix}daily:2026-03-10`)).toBe(expiresAt);
    expect(await redis.pexpiretime(`${prefix}seen:${eventId}`)).toBe(expiresAt);
  });

  it('when a later order of the same day expires later, then the day lives until the later expiry and never shorter', async () => {
    const writer = createRankingWriter(redis, prefix);
    const later = Date.now() + 120_000;
    const earlier = Date.now() + 60_000;
    await writer.countOnce({
      eventId: randomUUID(),
      day: '2026-03-11',
      lines: [{ productId: 'p', quantity: 1 }],
      expiresAt: later,
    });
    await writer.countOnce({
      eventId: randomUUID(),
      day: '2026-03-11',
      lines: [{ productId: 'p', quantity: 1 }],
      expiresAt: earlier,
    });

    expect(await redis.pexpiretime(`${prefix}daily:2026-03-11`)).toBe(later);
    expect(await redis.zscore(`${prefix}daily:2026-03-11`, 'p')).toBe('2');
  });

  it('when Redis cannot be reached, then counting fails with a transient error the consumer retries', async () => {
    const unreachable = new Redis('redis://127.0.0.1:1', {
      maxRetriesPerRequest: 0,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    unreachable.on('error', () => undefined);
    const writer = createRankingWriter(unreachable, prefix);

    await expect(
      writer.countOnce({
        eventId: randomUUID(),
        day: '2026-03-12',
        lines: [{ productId: 'p', quantity: 1 }],
        expiresAt: Date.now() + 1_000,
      }),
    ).rejects.toBeInstanceOf(TransientError);
    unreachable.disconnect();
  });
});
