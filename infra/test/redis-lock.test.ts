import { stackAddresses, uniqueName } from '@commerce/testing';
import { Redis } from 'ioredis';
import Redlock from 'redlock';
import { afterAll, describe, expect, it } from 'vitest';

const redis = new Redis(stackAddresses().redisUrl);
// No retries: a held lock must be refused at once, not waited for.
const redlock = new Redlock([redis], { retryCount: 0 });

afterAll(async () => {
  await redis.quit();
});

describe('redlock on the local Redis', () => {
  it('when a lock is held, then a second acquirer is refused until it is released', async () => {
    const key = uniqueName('lock:coupon');
    const lock = await redlock.acquire([key], 2_000);
    expect(await redis.pttl(key)).toBeGreaterThan(0);

    await expect(redlock.acquire([key], 2_000)).rejects.toThrow();

    const extended = await lock.extend(10_000);
    expect(await redis.pttl(key)).toBeGreaterThan(5_000);

    await extended.release();
    expect(await redis.exists(key)).toBe(0);
    const again = await redlock.acquire([key], 2_000);
    await again.release();
  });
});
