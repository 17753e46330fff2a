import type { EventCodec } from '@commerce/events';
import {
  DomainError,
  errorResponses,
  type HttpApp,
  operatorSecurity,
  requireOperatorKey,
} from '@commerce/service';
import type { Kafka } from 'kafkajs';
import { z } from 'zod';
import {
  countDeadLetters,
  type DeadLetter,
  decodeDeadLetter,
  purgeDeadLetters,
  readDeadLetters,
  replayDeadLetters,
} from './dead-letters.ts';

export interface DeadLetterRoutesDeps {
  kafka: Kafka;
  codec: EventCodec;
  /** This service's dead-letter topic (its consumer group's). */
  topic: string;
  operatorKey: string;
}

const offset = z.string().regex(/^\d{1,19}$/, 'an offset: digits only');
const partition = z.coerce.number().int().min(0).max(10_000);
// In a JSON body a partition is a number: coercion (for the query and path) took null as 0.
const bodyPartition = z.number().int().min(0).max(10_000);

const deadLetter = z.object({
  partition: z.number().int(),
  offset: z.string(),
  timestamp: z.string(),
  key: z.string().nullable(),
  original: z.object({ topic: z.string(), partition: z.number().int(), offset: z.string() }),
  consumerGroup: z.string(),
  error: z.object({ code: z.string(), message: z.string() }),
  attempts: z.number().int(),
  headers: z.record(z.string(), z.string()),
  valueBytes: z.number().int(),
});

const summary = ({ value, ...letter }: DeadLetter) => ({
  ...letter,
  valueBytes: value?.length ?? 0,
});

/**
 * The operators' view of one consumer group's dead letters (the console and the runbook use
 * it): list, show one decoded through the registry, replay a range to its original topic,
 * purge a partition's prefix. Operator key required, checked before validation.
 */
export function registerDeadLetterRoutes(app: HttpApp, deps: DeadLetterRoutesDeps): void {
  const { kafka, topic } = deps;
  app.register(async (ops: HttpApp) => {
    ops.addHook('onRequest', requireOperatorKey(deps.operatorKey));
    ops.get(
      '/ops/dead-letters',
      {
        schema: {
          security: operatorSecurity.security,
          summary: `Dead letters of ${topic}, oldest first per partition`,
          querystring: z.strictObject({
            partition: partition.optional(),
            fromOffset: offset.optional(),
            limit: z.coerce.number().int().min(1).max(1_000).default(100),
          }),
          response: {
            200: z.object({
              topic: z.string(),
              /** Dead letters kept in the topic, all partitions (the list may show fewer). */
              total: z.number().int(),
              items: z.array(deadLetter),
            }),
            ...operatorSecurity.errors,
            ...errorResponses(400),
          },
        },
      },
      async (request) => ({
        topic,
        total: await countDeadLetters(kafka, topic),
        items: (await readDeadLetters(kafka, topic, request.query)).map(summary),
      }),
    );
    ops.get(
      '/ops/dead-letters/:partition/:offset',
      {
        schema: {
          security: operatorSecurity.security,
          summary: 'One dead letter, its value decoded through the schema registry when it can be',
          params: z.strictObject({ partition, offset }),
          response: {
            200: deadLetter.extend({
              decoded: z.boolean(),
              event: z.unknown().optional(),
              reason: z.string().optional(),
              valueBase64: z.string().nullable().optional(),
            }),
            ...operatorSecurity.errors,
            ...errorResponses(400, 404),
          },
        },
      },
      async (request) => {
        const { partition: p, offset: o } = request.params;
        const [letter] = await readDeadLetters(kafka, topic, {
          partition: p,
          fromOffset: o,
          toOffset: o,
          limit: 1,
        });
        if (!letter || letter.offset !== o)
          throw new DomainError('DEAD_LETTER_NOT_FOUND', `no dead letter at ${topic}/${p}/${o}`);
        return { ...summary(letter), ...(await decodeDeadLetter(deps.codec, letter)) };
      },
    );
    ops.post(
      '/ops/dead-letters/replay',
      {
        schema: {
          security: operatorSecurity.security,
          summary: 'Re-sends a range of one partition’s dead letters to their original topics',
          description:
            'Key, value and original headers are kept; `dlq-replayed-from` marks the replay.',
          body: z
            .strictObject({
              partition: bodyPartition,
              fromOffset: offset,
              toOffset: offset.optional(),
            })
            .describe('toOffset, when given, is not before fromOffset (422 INVALID_OFFSET_RANGE)'),
          response: {
            200: z.object({ replayed: z.number().int(), items: z.array(deadLetter) }),
            ...operatorSecurity.errors,
            ...errorResponses(400, 422),
          },
        },
      },
      async (request) => {
        // Not in the body schema: JSON Schema cannot compare two fields.
        const { fromOffset, toOffset } = request.body;
        if (toOffset !== undefined && BigInt(toOffset) < BigInt(fromOffset))
          throw new DomainError('INVALID_OFFSET_RANGE', 'toOffset must not be before fromOffset');
        const { replayed } = await replayDeadLetters(kafka, topic, request.body);
        return { replayed: replayed.length, items: replayed.map(summary) };
      },
    );
    ops.post(
      '/ops/dead-letters/purge',
      {
        schema: {
          security: operatorSecurity.security,
          summary: 'Deletes one partition’s dead letters before an offset',
          body: z.strictObject({ partition: bodyPartition, beforeOffset: offset }),
          description:
            'A partition the topic does not have is 404; an offset past its end is 422 OFFSET_OUT_OF_RANGE.',
          response: {
            200: z.object({ purged: z.literal(true) }),
            ...operatorSecurity.errors,
            ...errorResponses(400, 404, 422),
          },
        },
      },
      async (request) => {
        await purgeDeadLetters(kafka, topic, request.body);
        return { purged: true as const };
      },
    );
  });
}
