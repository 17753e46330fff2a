import { describe, expect, it } from 'vitest';
import { LateSends } from './late-sends.ts';

const deferred = () => {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('LateSends', () => {
  it('keeps a topic busy until every late send to it settled; other topics stay free', async () => {
    const late = new LateSends();
    const [first, second] = [deferred(), deferred()];
    late.track(['a'], first.promise);
    late.track(['a', 'b'], second.promise);

    expect([late.holdsAny(['a']), late.holdsAny(['b']), late.holdsAny(['c'])]).toEqual([
      true,
      true,
      false,
    ]);
    first.resolve();
    await first.promise;
    await Promise.resolve();
    expect([late.holdsAny(['a']), late.holdsAny(['b'])]).toEqual([true, true]);
    second.resolve();
    await late.settled();
    expect(late.holdsAny(['a', 'b'])).toBe(false);
  });
});
