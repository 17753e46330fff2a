import { anEvent } from '@commerce/events/testing';
import { createHttpShell, createMetricsRegistry, type HttpApp } from '@commerce/service';
import type { KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDeadLetter } from '../src/dead-letter.ts';
import { REPLAYED_FROM_HEADER, readDeadLetters } from '../src/dead-letters/dead-letters.ts';
import { registerDeadLetterRoutes } from '../src/dead-letters/routes.ts';
import { createHarness, type Harness, logger } from './harness.ts';

const operatorKey = 'test-operator-key-0123456789';
const asOperator = { 'x-api-key': operatorKey };
let h: Harness;
let app: HttpApp;
let original: string;
let deadLetters: string;
let goodValue: Buffer;

/** Dead-letters `values` the way the consumer runners do, as if read at offsets 0, 1, … of `original`. */
async function deadLetter(values: Buffer[]) {
  const producer = h.kafka.producer();
  await producer.connect();
  await producer.send({
    topic: deadLetters,
    messages: values.map((value, i) =>
      toDeadLetter({
        topic: original,
        partition: 2,
        message: {
          key: Buffer.from(`user-${i}`),
          value,
          headers: { 'event-id': `e-${i}` },
          offset: String(40 + i),
          timestamp: String(Date.now()),
          attributes: 0,
        } as KafkaMessage,
        consumerGroup: 'test-group',
        errorCode: i === 0 ? 'WRONG_MAGIC_BYTE' : 'INVALID_SEQUENCE',
        errorMessage: `failure ${i}`,
        attempts: 1,
      }),
    ),
  });
  await producer.disconnect();
}

beforeAll(async () => {
  h = await createHarness();
  original = await h.topic(3);
  deadLetters = await h.topic(1);
  goodValue = await h.codec.encode('CouponIssueRequested', anEvent('CouponIssueRequested'));
  await deadLetter([Buffer.from('not avro at all'), goodValue, goodValue]);
  app = await createHttpShell({ service: 'test', logger, metrics: createMetricsRegistry('test') });
  registerDeadLetterRoutes(app, {
    kafka: h.kafka,
    codec: h.codec,
    topic: deadLetters,
    operatorKey,
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

describe('the dead-letter tool', () => {
  it('when an operator lists dead letters, then each comes with where it came from and why it failed', async () => {
    const res = await app.inject({ url: '/ops/dead-letters?limit=2', headers: asOperator });
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(3);
    expect(res.json().items).toEqual([
      expect.objectContaining({
        partition: 0,
        offset: '0',
        key: 'user-0',
        original: { topic: original, partition: 2, offset: '40' },
        consumerGroup: 'test-group',
        error: { code: 'WRONG_MAGIC_BYTE', message: 'failure 0' },
        attempts: 1,
        headers: { 'event-id': 'e-0' },
      }),
      expect.objectContaining({
        offset: '1',
        error: { code: 'INVALID_SEQUENCE', message: 'failure 1' },
      }),
    ]);
  });

  it('when one dead letter is shown, then its value is decoded through the registry, or said undecodable', async () => {
    const good = (await app.inject({ url: '/ops/dead-letters/0/1', headers: asOperator })).json();
    expect(good).toMatchObject({
      offset: '1',
      decoded: true,
      event: { type: 'CouponIssueRequested' },
    });
    const poison = (await app.inject({ url: '/ops/dead-letters/0/0', headers: asOperator })).json();
    expect(poison).toMatchObject({
      decoded: false,
      valueBase64: Buffer.from('not avro at all').toString('base64'),
    });
    expect(poison.reason).toMatch(/magic byte/i);
  });

  it('when a range is replayed, then its messages return to the original topic with key, value and headers, marked', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/ops/dead-letters/replay',
      headers: asOperator,
      payload: { partition: 0, fromOffset: '1', toOffset: '2' },
    });
    expect(res.json()).toMatchObject({ replayed: 2 });
    const back = await h.read(original, 2);
    expect(back.map((m) => [m.key?.toString(), m.value?.equals(goodValue)])).toEqual([
      ['user-1', true],
      ['user-2', true],
    ]);
    expect(back.map((m) => String(m.headers?.[REPLAYED_FROM_HEADER]))).toEqual([
      `${deadLetters}/0/1`,
      `${deadLetters}/0/2`,
    ]);
    expect(String(back[0]?.headers?.['event-id'])).toBe('e-1');
    expect(back[0]?.headers?.['dlq-error-code']).toBeUndefined();
  });

  it('when a partition is purged before an offset, then only the later dead letters remain', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/ops/dead-letters/purge',
      headers: asOperator,
      payload: { partition: 0, beforeOffset: '2' },
    });
    expect(res.statusCode).toBe(200);
    expect((await readDeadLetters(h.kafka, deadLetters)).map((l) => l.offset)).toEqual(['2']);
  });

  it.each([
    ['no operator key', '/ops/dead-letters', {}, 401, 'OPERATOR_KEY_REQUIRED'],
    [
      'an offset that is not a number',
      '/ops/dead-letters/0/abc',
      asOperator,
      400,
      'VALIDATION_FAILED',
    ],
    ['an offset past the end', '/ops/dead-letters/0/99', asOperator, 404, 'DEAD_LETTER_NOT_FOUND'],
  ])(
    'when asked with %s, then the answer is a structured %i',
    async (_, url, headers, status, code) => {
      const res = await app.inject({ url, headers });
      expect(res.statusCode).toBe(status);
      expect(res.json().error.code).toBe(code);
    },
  );
});
