import { describe, expect, it } from 'vitest';
import { circuitOpens } from './circuit-breaker.ts';

const now = new Date('2026-12-02T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('circuit breaker', () => {
  it('when the endpoint is not failing, then it stays closed', () => {
    expect(circuitOpens(null, now, 0)).toBe(false);
  });

  it('when the endpoint has failed for less than the period, then it stays closed', () => {
    expect(circuitOpens(ago(299_999), now, 300_000)).toBe(false);
  });

  it('when the endpoint has failed for the whole period, then it opens', () => {
    expect(circuitOpens(ago(300_000), now, 300_000)).toBe(true);
    expect(circuitOpens(ago(5 * 86_400_000), now, 5 * 86_400_000)).toBe(true);
  });
});
