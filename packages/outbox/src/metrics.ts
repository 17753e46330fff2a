import { Gauge, type Registry } from 'prom-client';
import type { OutboxRelay } from './relay.ts';

/** Exposes the relay's backlog and the age of its oldest row, read when Prometheus scrapes. */
export function registerOutboxMetrics(registry: Registry, relay: OutboxRelay): void {
  let last: Promise<{ backlog: number; oldestAgeMs: number }> | undefined;
  const read = () => {
    last ??= relay.stats().finally(() => setTimeout(() => (last = undefined), 0));
    return last;
  };
  new Gauge({
    name: 'outbox_backlog_events',
    help: 'Outbox rows not yet published.',
    registers: [registry],
    async collect() {
      this.set((await read()).backlog);
    },
  });
  new Gauge({
    name: 'outbox_oldest_unpublished_age_seconds',
    help: 'Age of the oldest unpublished outbox row.',
    registers: [registry],
    async collect() {
      this.set((await read()).oldestAgeMs / 1_000);
    },
  });
}
