#!/usr/bin/env node
// The operators' dead-letter tool. Reads KAFKA_BROKERS, SCHEMA_REGISTRY_URL, KAFKA_NAME_PREFIX.
//   dlq list   <group> [--partition N] [--from OFFSET] [--limit N]
//   dlq show   <group> <partition> <offset>          the value decoded through the registry
//   dlq replay <group> <partition> <from> [<to>]     back to the original topic, key and headers kept
//   dlq purge  <group> <partition> <beforeOffset>    Kafka deletes a partition's prefix
import { parseArgs } from 'node:util';
import { consumerGroups, EventCodec } from '@commerce/events';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel } from 'kafkajs';
import {
  decodeDeadLetter,
  purgeDeadLetters,
  readDeadLetters,
  replayDeadLetters,
} from '../dead-letters/dead-letters.ts';
import { readDeadLetterToolConfig } from './config.ts';

const usage = `usage: dlq list|show|replay|purge <group> …  (groups: ${Object.values(consumerGroups)
  .map((g) => g.groupId)
  .join(', ')})`;

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { partition: { type: 'string' }, from: { type: 'string' }, limit: { type: 'string' } },
});
const [command, groupId, ...rest] = positionals;
const group = Object.values(consumerGroups).find((g) => g.groupId === groupId);
if (!command || !group) fail(groupId ? `unknown consumer group ${groupId}` : 'missing arguments');
const int = (text: string | undefined, name: string): number => {
  if (text === undefined || !/^\d+$/.test(text)) fail(`${name} must be a non-negative integer`);
  return Number(text);
};
const offset = (text: string | undefined, name: string): string => String(int(text, name));

let config: ReturnType<typeof readDeadLetterToolConfig>;
try {
  config = readDeadLetterToolConfig();
} catch (err) {
  fail((err as Error).message);
}
const topic = config.KAFKA_NAME_PREFIX + group.deadLetterTopic;
const kafka = new Kafka({
  clientId: 'commerce-dlq',
  brokers: config.KAFKA_BROKERS,
  logLevel: logLevel.WARN,
});
const show = (value: unknown) => console.log(JSON.stringify(value, null, 2));

switch (command) {
  case 'list': {
    const letters = await readDeadLetters(kafka, topic, {
      ...(values.partition === undefined
        ? {}
        : { partition: int(values.partition, '--partition') }),
      ...(values.from === undefined ? {} : { fromOffset: offset(values.from, '--from') }),
      limit: values.limit === undefined ? 100 : int(values.limit, '--limit'),
    });
    console.log(`${letters.length} dead letters in ${topic}`);
    for (const l of letters)
      console.log(
        `${l.partition}/${l.offset}  ${l.timestamp}  from ${l.original.topic}/${l.original.partition}/${l.original.offset}  ${l.error.code}: ${l.error.message.slice(0, 120)}`,
      );
    break;
  }
  case 'show': {
    const [p, o] = [int(rest[0], 'partition'), offset(rest[1], 'offset')];
    const [letter] = await readDeadLetters(kafka, topic, {
      partition: p,
      fromOffset: o,
      toOffset: o,
      limit: 1,
    });
    if (!letter || letter.offset !== o) fail(`no dead letter at ${topic}/${p}/${o}`);
    const codec = new EventCodec(new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL }));
    show({ ...letter, value: undefined, ...(await decodeDeadLetter(codec, letter)) });
    break;
  }
  case 'replay': {
    const range = {
      partition: int(rest[0], 'partition'),
      fromOffset: offset(rest[1], 'from'),
      ...(rest[2] === undefined ? {} : { toOffset: offset(rest[2], 'to') }),
    };
    const { replayed } = await replayDeadLetters(kafka, topic, range);
    console.log(`replayed ${replayed.length} dead letters of ${topic}/${range.partition}`);
    for (const l of replayed) console.log(`  ${l.partition}/${l.offset} → ${l.original.topic}`);
    break;
  }
  case 'purge': {
    const target = {
      partition: int(rest[0], 'partition'),
      beforeOffset: offset(rest[1], 'beforeOffset'),
    };
    await purgeDeadLetters(kafka, topic, target);
    console.log(`purged ${topic}/${target.partition} before offset ${target.beforeOffset}`);
    break;
  }
  default:
    fail(`unknown command ${command}`);
}
