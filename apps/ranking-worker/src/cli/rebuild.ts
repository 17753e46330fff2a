#!/usr/bin/env node
// Recomputes the ranking's daily keys from the order-completed topic, which they derive from:
//   KAFKA_BROKERS=host:9092 SCHEMA_REGISTRY_URL=http://host:8081 REDIS_URL=redis://host:6379 \
//     node dist/cli/rebuild.js [--from YYYY-MM-DD] [--to YYYY-MM-DD]
// Days are calendar days in RANKING_TIME_ZONE (default Asia/Seoul); the default range is
// the longest window (today and the 6 days before), which the topic's retention keeps.
import { parseArgs } from 'node:util';
import { addDays, dayOf, EventCodec, topics } from '@commerce/events';
import { createKafkaClient } from '@commerce/kafka';
import { createLogger } from '@commerce/service';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Redis } from 'ioredis';
import { readRebuildConfig } from '../config.ts';
import { completedOrdersFromTopic } from '../data-access/order-completed-replay.ts';
import { createRankingRebuilder } from '../data-access/ranking-rebuild.repository.ts';
import { rebuildRankings } from '../domain/rebuild-rankings.ts';
import { LONGEST_WINDOW_DAYS } from '../domain/retention.ts';

const usage =
  'usage: rebuild [--from YYYY-MM-DD] [--to YYYY-MM-DD]   (KAFKA_BROKERS, SCHEMA_REGISTRY_URL, REDIS_URL)';
// A real calendar day: the pattern, and no rollover (2026-02-30 would become 2026-03-02).
const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && addDays(value, 0) === value;

let config: ReturnType<typeof readRebuildConfig>;
let from: string;
let to: string;
try {
  config = readRebuildConfig();
  const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } } });
  const today = dayOf(Date.now(), config.RANKING_TIME_ZONE);
  to = values.to ?? today;
  from = values.from ?? addDays(to, 1 - LONGEST_WINDOW_DAYS);
  if (!isDay(from) || !isDay(to) || from > to)
    throw new Error(`--from and --to must be days, from <= to\n${usage}`);
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}

const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
const kafka = createKafkaClient({
  clientId: 'ranking-rebuild',
  brokers: config.KAFKA_BROKERS,
  logger: createLogger('ranking-rebuild', config.LOG_LEVEL),
});
try {
  const days = await rebuildRankings(
    {
      completedOrders: completedOrdersFromTopic({
        kafka,
        codec: new EventCodec(new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL })),
        topic: config.KAFKA_NAME_PREFIX + topics.orderCompleted.name,
      }),
      rebuilder: createRankingRebuilder(redis, config.RANKING_KEY_PREFIX),
      timeZone: config.RANKING_TIME_ZONE,
      now: Date.now,
    },
    { from, to },
  );
  for (const d of days) {
    const what = d.written ? 'rebuilt' : 'skipped (older than every window)';
    console.log(`${d.day}  ${what}: ${d.orders} orders, ${d.products} products, ${d.units} units`);
  }
} catch (err) {
  console.error('rebuild failed:', err);
  process.exitCode = 1;
} finally {
  await redis.quit();
}
