import { EventCodec } from '@commerce/events';
import { brokersReachable, createKafkaClient, type Kafka } from '@commerce/kafka';
import { createMetricsRegistry } from '@commerce/service';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Pool } from 'mariadb';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from './config.ts';
import { createAnalyticsPool } from './data-access/analytics-db.ts';
import { createDatabaseSink } from './data-access/database.sink.ts';
import { createHttpSink } from './data-access/http.sink.ts';
import { createReportReader } from './data-access/reports.repository.ts';
import type { AnalyticsSink } from './domain/model.ts';
import type { ReportReader } from './domain/report-reader.ts';

export interface Deps {
  config: Config;
  logger: Logger;
  metrics: Registry;
  pool: Pool;
  kafka: Kafka;
  codec: EventCodec;
  kafkaReady: () => Promise<void>;
  sinks: AnalyticsSink[];
  reports: ReportReader;
  close(): Promise<void>;
}

function exitAfterCommit(logger: Logger) {
  return () => {
    logger.warn('FAULT_EXIT_AFTER_FLUSH_COMMIT: exiting after the flush, before its Kafka commit');
    process.exit(137);
  };
}

/** Creates every client this process uses; close() releases them in reverse order. */
export async function createDeps(config: Config, logger: Logger): Promise<Deps> {
  const metrics = createMetricsRegistry('analytics-worker');
  const pool = createAnalyticsPool(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  const kafka = createKafkaClient({
    clientId: 'analytics-worker',
    brokers: config.KAFKA_BROKERS,
    logger,
  });
  const kafkaCheck = brokersReachable(kafka);
  const codec = new EventCodec(new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL }));
  const sinks: AnalyticsSink[] = [];
  // The database first: the platform then only gets batches already counted here, and a
  // batch the platform refuses for now is retried with the database skipping it.
  if (config.SINK_DATABASE)
    sinks.push(
      createDatabaseSink(pool, {
        strategy: config.EXACTLY_ONCE_STRATEGY,
        holdTransactionMs: config.FAULT_HOLD_FLUSH_MS,
        ...(config.FAULT_EXIT_AFTER_FLUSH_COMMIT ? { afterCommit: exitAfterCommit(logger) } : {}),
      }),
    );
  if (config.SINK_HTTP_URL)
    sinks.push(
      createHttpSink({
        url: config.SINK_HTTP_URL,
        timeoutMs: config.SINK_HTTP_TIMEOUT_MS,
        ...(config.SINK_HTTP_TOKEN ? { token: config.SINK_HTTP_TOKEN } : {}),
      }),
    );

  return {
    config,
    logger,
    metrics,
    pool,
    kafka,
    codec,
    kafkaReady: kafkaCheck.check,
    sinks,
    reports: createReportReader(pool),
    async close() {
      await kafkaCheck.close();
      await pool.end();
    },
  };
}
