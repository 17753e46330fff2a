import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, createApi } from './support/harness.ts';

// "Now" is 00:30 on 10 March 2026 in Seoul (15:30Z on the 9th): the UTC date is a day behind.
let now = new Date('2026-03-09T15:30:00Z');
let api: Api;
beforeAll(async () => {
  api = await createApi({ env: { RANKING_CACHE_MS: '0' }, overrides: { now: () => now } });
});
afterAll(() => api?.close());

/** What ranking-worker writes: units per product in the sorted set of each Seoul day. */
async function sold(day: string, productId: string, units: number) {
  await api.redis.zincrby(`${api.config.RANKING_KEY_PREFIX}daily:${day}`, units, productId);
}

const rankings = async (query: string) => {
  const res = await api.app.inject({ method: 'GET', url: `/products/rankings${query}` });
  expect(res.statusCode).toBe(200);
  return res.json();
};

describe('product rankings', () => {
  it('when units were sold over several Seoul days, then each window sums exactly its days, best first, with names', async () => {
    const [lamp, desk, chair] = [
      await api.product(1, 1, 'lamp'),
      await api.product(1, 1, 'desk'),
      await api.product(1, 1, 'chair'),
    ];
    await sold('2026-03-10', lamp.id, 2); // today in Seoul
    await sold('2026-03-09', desk.id, 5); // "today" in UTC: must not count as today
    await sold('2026-03-08', chair.id, 4);
    await sold('2026-03-08', lamp.id, 1);
    await sold('2026-03-04', chair.id, 10); // 7th day back
    await sold('2026-03-03', desk.id, 100); // 8th day back: outside every window

    const one = await rankings('?days=1');
    const three = await rankings('?days=3');
    const seven = await rankings('?days=7&limit=2');

    expect(one).toMatchObject({
      days: 1,
      timeZone: 'Asia/Seoul',
      from: '2026-03-10',
      to: '2026-03-10',
    });
    expect(one.items).toEqual([{ rank: 1, productId: lamp.id, name: 'lamp', quantity: 2 }]);
    expect(three).toMatchObject({ from: '2026-03-08', to: '2026-03-10' });
    expect(
      three.items.map((i: { name: string; quantity: number }) => [i.name, i.quantity]),
    ).toEqual([
      ['desk', 5],
      ['chair', 4],
      ['lamp', 3],
    ]);
    expect(seven).toMatchObject({ from: '2026-03-04', to: '2026-03-10' });
    expect(
      seven.items.map((i: { name: string; quantity: number }) => [i.name, i.quantity]),
    ).toEqual([
      ['chair', 14],
      ['desk', 5],
    ]);
  });

  it('when nothing was sold, then the ranking is empty', async () => {
    now = new Date('2030-01-01T00:00:00Z');
    expect((await rankings('?days=7')).items).toEqual([]);
  });
});

describe('the ranking cache', () => {
  it('when a window was read moments ago, then it is served from the cache until the cache expires', async () => {
    const cacheMs = 1_500;
    const fixed = new Date('2026-03-09T15:30:00Z'); // 2026-03-10 in Seoul
    const cached = await createApi({
      env: { RANKING_CACHE_MS: String(cacheMs) },
      overrides: { now: () => fixed },
    });
    try {
      const product = await cached.product(1, 1, 'cached');
      const key = `${cached.config.RANKING_KEY_PREFIX}daily:2026-03-10`;
      const read = async () =>
        (await cached.app.inject({ method: 'GET', url: '/products/rankings' })).json().items[0]
          ?.quantity;

      await cached.redis.zincrby(key, 1, product.id);
      const firstReadAt = Date.now();
      const first = await read();
      await cached.redis.zincrby(key, 1, product.id);
      const stale = await read();
      const staleWithin = Date.now() - firstReadAt;
      await new Promise((resolve) =>
        setTimeout(resolve, cacheMs + 100 - (Date.now() - firstReadAt)),
      );
      const fresh = await read();

      expect(staleWithin).toBeLessThan(cacheMs); // else the "stale" read proves nothing
      expect([first, stale, fresh]).toEqual([1, 1, 2]);
    } finally {
      await cached.close();
    }
  });
});
