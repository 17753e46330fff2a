import { anEvent } from '@commerce/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecodedRecord } from '../src/batch-consumer-runner.ts';
import { deadLetterHeaders } from '../src/dead-letter.ts';
import { PermanentError, TransientError } from '../src/errors.ts';
import { collect, createHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const request = (overrides = {}) => anEvent('CouponIssueRequested', { userId: 'k', ...overrides });

const publish = (topic: string, events: ReturnType<typeof request>[]) =>
  h.publishRequests(topic, events);

async function committed(groupId: string, topic: string) {
  const [offsets] = await h.admin.fetchOffsets({ groupId, topics: [topic] });
  return offsets?.partitions[0]?.offset;
}

const ids = (records: DecodedRecord[]) =>
  records.map((r) => (r.type === 'CouponIssueRequested' ? r.payload.requestId : r.type));

describe('BatchConsumerRunner against the broker', () => {
  it('when a partition holds more than maxRecords, then the handler gets ordered slices of at most maxRecords and each is committed after it returns', async () => {
    const topic = await h.topic(1);
    const groupId = `${topic}-g`;
    const events = Array.from({ length: 25 }, () => request());
    await publish(topic, events);
    const slices: DecodedRecord[][] = [];
    const commitsSeen: (string | undefined)[] = [];
    const runner = h.batchRunner({
      groupId,
      topics: [topic],
      deadLetterTopic: `${topic}-dlq`,
      eventTypes: ['CouponIssueRequested'],
      maxRecords: 10,
      handleBatch: async (records, context) => {
        commitsSeen.push(await committed(groupId, topic));
        expect(context).toMatchObject({ topic, partition: 0, firstOffset: records[0]?.offset });
        slices.push(records);
      },
    });
    const flushed = collect(runner, 'flushed', 3);
    await runner.start();

    expect((await flushed).map((f) => f.records)).toEqual([10, 10, 5]);
    expect(slices.flat().map((r) => r.offset)).toEqual(events.map((_, i) => String(i)));
    expect(ids(slices.flat())).toEqual(events.map((e) => e.requestId));
    // Before each call, exactly the previous slices are committed.
    expect(commitsSeen).toEqual(['-1', '10', '20']);
    await expect.poll(() => h.lag(groupId, topic), { timeout: 10_000 }).toBe(0);
  });

  it('when poison and invalid records are in a slice, then each goes to the dead-letter topic with its coordinates and the rest is handled', async () => {
    const topic = await h.topic(1);
    const deadLetterTopic = await h.topic(1);
    const groupId = `${topic}-g`;
    const handled: DecodedRecord[] = [];
    const runner = h.batchRunner({
      groupId,
      topics: [topic],
      deadLetterTopic,
      eventTypes: ['CouponIssueRequested'],
      validate: (record) => {
        if (record.type === 'CouponIssueRequested' && record.payload.sequence < 1)
          throw new PermanentError('INVALID_SEQUENCE', 'sequence must be >= 1');
      },
      handleBatch: async (records) => {
        handled.push(...records);
      },
    });
    const deadLettered = collect(runner, 'dead-lettered', 3);
    const good = [request(), request()];
    const raw = h.kafka.producer();
    await raw.connect();
    await raw.send({
      topic,
      messages: [
        { key: 'k', value: await h.codec.encode('CouponIssueRequested', good[0] as never) },
        { key: 'k', value: Buffer.from('not avro'), headers: { origin: 'test' } },
        { key: 'k', value: await h.codec.encode('OrderCompleted', anEvent('OrderCompleted')) },
        { key: 'k', value: await h.codec.encode('CouponIssueRequested', request({ sequence: 0 })) },
        { key: 'k', value: await h.codec.encode('CouponIssueRequested', good[1] as never) },
      ],
    });
    await raw.disconnect();
    await runner.start();

    expect((await deadLettered).map((d) => [d.offset, d.errorCode])).toEqual([
      ['1', 'WRONG_MAGIC_BYTE'],
      ['2', 'UNEXPECTED_EVENT_TYPE'],
      ['3', 'INVALID_SEQUENCE'],
    ]);
    expect(ids(handled)).toEqual(good.map((g) => g.requestId));
    const letters = await h.read(deadLetterTopic, 3);
    expect(
      letters.map((l) => [
        String(l.headers?.[deadLetterHeaders.topic]),
        String(l.headers?.[deadLetterHeaders.partition]),
        String(l.headers?.[deadLetterHeaders.offset]),
        String(l.headers?.[deadLetterHeaders.consumerGroup]),
      ]),
    ).toEqual(['1', '2', '3'].map((offset) => [topic, '0', offset, groupId]));
    expect(letters[0]?.value?.toString()).toBe('not avro');
    await expect.poll(() => h.lag(groupId, topic), { timeout: 10_000 }).toBe(0);
  });

  it('when the handler rejects a slice permanently, then the slice is retried record by record and only the failing record is dead-lettered', async () => {
    const topic = await h.topic(1);
    const groupId = `${topic}-g`;
    const events = [request(), request({ couponId: 'bad' }), request()];
    const sizes: number[] = [];
    const handled: string[] = [];
    const runner = h.batchRunner({
      groupId,
      topics: [topic],
      deadLetterTopic: await h.topic(1),
      eventTypes: ['CouponIssueRequested'],
      handleBatch: async (records) => {
        sizes.push(records.length);
        const bad = records.some(
          (r) => r.type === 'CouponIssueRequested' && r.payload.couponId === 'bad',
        );
        if (bad) throw new PermanentError('BAD_COUPON', 'rejected');
        handled.push(...ids(records));
      },
    });
    const deadLettered = collect(runner, 'dead-lettered', 1);
    await publish(topic, events);
    await runner.start();

    expect((await deadLettered)[0]).toMatchObject({ offset: '1', errorCode: 'BAD_COUPON' });
    await expect.poll(() => h.lag(groupId, topic), { timeout: 10_000 }).toBe(0);
    expect(sizes).toEqual([3, 1, 1, 1]);
    expect(handled).toEqual([events[0]?.requestId, events[2]?.requestId]);
  });

  it('when the handler keeps failing transiently, then nothing is committed, the partition pauses, and the slice is handled once it recovers', async () => {
    const topic = await h.topic(1);
    const groupId = `${topic}-g`;
    let down = true;
    let calls = 0;
    const handled: string[] = [];
    const runner = h.batchRunner({
      groupId,
      topics: [topic],
      deadLetterTopic: `${topic}-dlq`,
      eventTypes: ['CouponIssueRequested'],
      retry: { attempts: 2, initialDelayMs: 10 },
      pause: { initialDelayMs: 300 },
      handleBatch: async (records) => {
        calls++;
        if (down) throw new TransientError('sink away');
        handled.push(...ids(records));
      },
    });
    const paused = collect(runner, 'paused', 2);
    const events = [request(), request(), request()];
    await publish(topic, events);
    await runner.start();

    expect((await paused).map((p) => p.offset)).toEqual(['0', '0']);
    expect(await committed(groupId, topic)).toBe('-1');
    expect(calls).toBeGreaterThanOrEqual(4);
    down = false;
    await expect.poll(() => h.lag(groupId, topic), { timeout: 15_000 }).toBe(0);
    expect(handled).toEqual(events.map((e) => e.requestId));
  });
});
