import { describe, expect, it } from 'vitest';
import { ProgressWatchdog } from './progress-watchdog.ts';

describe('ProgressWatchdog', () => {
  it('stays quiet while progress comes within the bound, and reports a stall once', () => {
    let now = 0;
    const stalls: number[] = [];
    const watchdog = new ProgressWatchdog({
      stallMs: 1_000,
      onStall: (ms) => stalls.push(ms),
      now: () => now,
    });
    now = 900;
    watchdog.check();
    watchdog.progressed();
    now = 1_800;
    watchdog.check();
    expect(stalls).toEqual([]);

    now = 2_000;
    watchdog.check();
    now = 5_000;
    watchdog.check();
    expect(stalls).toEqual([1_100]);
  });
});
