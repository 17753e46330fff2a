/**
 * Per-endpoint limits of one replica: at most `concurrency` POSTs in flight and, when the
 * endpoint has a rate limit, a token bucket of that many per second (burst of one second).
 * A slow endpoint fills its own slots and no one else's.
 */
export interface EndpointLimits {
  concurrency: number;
  ratePerSecond: number | null;
}

interface GateState {
  inFlight: number;
  tokens: number;
  refilledAt: number;
}

export class EndpointGate {
  private readonly states = new Map<string, GateState>();

  /** 0 when a POST may start now (and takes its slot), else ms until it might, or Infinity (wait for a release). */
  tryAcquire(endpointId: string, limits: EndpointLimits, now: number): number {
    const state = this.state(endpointId, limits, now);
    if (state.inFlight >= limits.concurrency) return Number.POSITIVE_INFINITY;
    if (limits.ratePerSecond !== null) {
      const rate = limits.ratePerSecond;
      state.tokens = Math.min(rate, state.tokens + ((now - state.refilledAt) / 1_000) * rate);
      state.refilledAt = now;
      if (state.tokens < 1) return Math.ceil(((1 - state.tokens) / rate) * 1_000);
      state.tokens -= 1;
    }
    state.inFlight += 1;
    return 0;
  }

  release(endpointId: string): void {
    const state = this.states.get(endpointId);
    if (state) state.inFlight = Math.max(0, state.inFlight - 1);
  }

  inFlight(endpointId: string): number {
    return this.states.get(endpointId)?.inFlight ?? 0;
  }

  private state(endpointId: string, limits: EndpointLimits, now: number): GateState {
    let state = this.states.get(endpointId);
    if (!state) {
      state = { inFlight: 0, tokens: limits.ratePerSecond ?? 0, refilledAt: now };
      this.states.set(endpointId, state);
    }
    return state;
  }
}
