import type { Kafka } from 'kafkajs';

/**
 * A readiness check that the brokers answer: one admin client, connected on first use and
 * kept, so /readyz costs one metadata round trip. `close` disconnects it on shutdown.
 */
export function brokersReachable(kafka: Kafka): {
  check: () => Promise<void>;
  close: () => Promise<void>;
} {
  const admin = kafka.admin();
  return {
    check: async () => {
      await admin.connect();
      await admin.describeCluster();
    },
    close: () => admin.disconnect(),
  };
}
