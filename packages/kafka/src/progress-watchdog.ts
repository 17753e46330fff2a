/**
 * Notices a consumer that stopped moving. kafkajs can hang after losing its only broker
 * (its issue tracker; see docs/design.md, "Kafka client settings"): no fetch, no heartbeat,
 * no batch, and no error either, so nothing else would ever notice. Any of those counts as
 * progress; `onStall` runs once when none came for `stallMs`. The runner then stops the
 * process with its messages uncommitted, and the orchestrator starts a fresh one.
 */
export interface WatchdogOptions {
  stallMs: number;
  onStall: (silentForMs: number) => void;
  now?: () => number;
}

export class ProgressWatchdog {
  private last: number;
  private timer: NodeJS.Timeout | undefined;
  private stalled = false;
  private readonly options: WatchdogOptions;

  constructor(options: WatchdogOptions) {
    this.options = options;
    this.last = this.now();
  }

  progressed(): void {
    this.last = this.now();
  }

  /** Calls onStall (once) if nothing progressed for stallMs. */
  check(): void {
    const silentFor = this.now() - this.last;
    if (this.stalled || silentFor <= this.options.stallMs) return;
    this.stalled = true;
    this.options.onStall(silentFor);
  }

  start(): void {
    this.progressed();
    const every = Math.max(1_000, Math.floor(this.options.stallMs / 4));
    this.timer = setInterval(() => this.check(), every).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
