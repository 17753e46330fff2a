import { describe, expect, it } from 'vitest';
import { EndpointGate } from './endpoint-gate.ts';

describe('endpoint gate', () => {
  it('when an endpoint has all its slots in flight, then it waits for a release, and others do not', () => {
    const gate = new EndpointGate();
    const limits = { concurrency: 2, ratePerSecond: null };
    expect(gate.tryAcquire('slow', limits, 0)).toBe(0);
    expect(gate.tryAcquire('slow', limits, 0)).toBe(0);
    expect(gate.tryAcquire('slow', limits, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(gate.tryAcquire('fast', limits, 0)).toBe(0);
    gate.release('slow');
    expect(gate.tryAcquire('slow', limits, 0)).toBe(0);
  });

  it('when an endpoint has a rate limit, then it gets that many per second and says how long to wait', () => {
    const gate = new EndpointGate();
    const limits = { concurrency: 100, ratePerSecond: 4 };
    for (let i = 0; i < 4; i += 1) expect(gate.tryAcquire('e', limits, 1_000)).toBe(0);
    expect(gate.tryAcquire('e', limits, 1_000)).toBe(250);
    expect(gate.tryAcquire('e', limits, 1_250)).toBe(0);
    expect(gate.tryAcquire('e', limits, 1_250)).toBe(250);
    expect(gate.inFlight('e')).toBe(5);
  });
});
