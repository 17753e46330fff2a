import { anEvent } from '@commerce/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterHeaders } from '../src/dead-letter.ts';
import { PermanentError, TransientError } from '../src/errors.ts';
import { collect, createHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const request = (overrides = {}) =>
  anEvent('CouponIssueRequested', { userId: 'same-key', ...overrides });

async function sendRaw(topic: string, values: (Buffer | null)[]) {
  const producer = h.kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: values.map((value) => ({ key: 'same-key', value, headers: { origin: 'test' } })),
  });
  await producer.disconnect();
}

describe('ConsumerRunner against the broker', () => {
  it('when poison messages arrive, then each lands in the dead-letter topic with its coordinates and the consumer goes on', async () => {
    const topic = await h.topic();
    const deadLetterTopic = await h.topic();
    const groupId = `${topic}-g`;
    const handled: string[] = [];
    const runner = h.runner({
      groupId,
      topics: [topic],
      deadLetterTopic,
      handlers: {
        CouponIssueRequested: async (event) => {
          if (event.sequence < 1)
            throw new PermanentError('INVALID_SEQUENCE', 'sequence must be >= 1');
          handled.push(event.requestId);
        },
      },
    });
    const deadLettered = collect(runner, 'dead-lettered', 4);
    const processed = collect(runner, 'processed', 2);
    await runner.start();

    const unknownSchemaId = Buffer.from([0, 0x77, 0x35, 0x94, 0x00, 1, 2, 3]);
    const good = [request(), request()];
    await sendRaw(topic, [
      Buffer.from('definitely not avro'),
      unknownSchemaId,
      await h.codec.encode('OrderCompleted', anEvent('OrderCompleted')), // valid Avro, not for this group
      await h.codec.encode('CouponIssueRequested', request({ sequence: 0 })), // valid Avro, invalid event
    ]);
    await h.publishRequests(topic, good, 'same-key');

    expect((await deadLettered).map((d) => d.errorCode)).toEqual([
      'WRONG_MAGIC_BYTE',
      'UNKNOWN_SCHEMA_ID',
      'UNEXPECTED_EVENT_TYPE',
      'INVALID_SEQUENCE',
    ]);
    await processed;
    expect(handled).toEqual(good.map((g) => g.requestId));

    const letters = await h.read(deadLetterTopic, 4);
    const originals = await h.read(topic, 6);
    for (const letter of letters) {
      const headers = Object.fromEntries(
        Object.entries(letter.headers ?? {}).map(([k, v]) => [k, String(v)]),
      );
      const original = originals.find((o) => o.offset === headers[deadLetterHeaders.offset]);
      expect(headers).toMatchObject({
        [deadLetterHeaders.topic]: topic,
        [deadLetterHeaders.partition]: String(original?.partition),
        [deadLetterHeaders.consumerGroup]: groupId,
        origin: 'test',
      });
      expect(headers[deadLetterHeaders.errorMessage]).not.toBe('');
      expect(letter.key?.toString()).toBe('same-key');
      expect(letter.value?.equals(original?.value as Buffer)).toBe(true);
    }
    await expect.poll(() => h.lag(groupId, topic), { timeout: 10_000 }).toBe(0);
  });

  it('when a handler fails twice with a transient error, then it is retried and its effect happens once', async () => {
    const topic = await h.topic(1);
    let calls = 0;
    let effects = 0;
    const runner = h.runner({
      groupId: `${topic}-g`,
      topics: [topic],
      deadLetterTopic: `${topic}-dlq`,
      retry: { initialDelayMs: 20 },
      handlers: {
        CouponIssueRequested: async () => {
          if (++calls <= 2) throw new TransientError('database briefly away');
          effects++;
        },
      },
    });
    const retried = collect(runner, 'retried', 2);
    const processed = collect(runner, 'processed', 1);
    await runner.start();

    await h.publishRequests(topic, [request()]);

    expect((await retried).map((r) => r.attempt)).toEqual([1, 2]);
    await processed;
    expect({ calls, effects }).toEqual({ calls: 3, effects: 1 });
  });

  it('when transient failures outlast the in-place retries, then the partition pauses and later resumes at the same message', async () => {
    const topic = await h.topic(1);
    let calls = 0;
    const handled: string[] = [];
    const runner = h.runner({
      groupId: `${topic}-g`,
      topics: [topic],
      deadLetterTopic: `${topic}-dlq`,
      retry: { attempts: 2, initialDelayMs: 10 },
      pause: { initialDelayMs: 300 },
      handlers: {
        CouponIssueRequested: async (event) => {
          if (++calls <= 3) throw new TransientError('still down');
          handled.push(event.requestId);
        },
      },
    });
    const paused = collect(runner, 'paused', 1);
    const processed = collect(runner, 'processed', 2);
    await runner.start();
    const events = [request(), request()];

    await h.publishRequests(topic, events, 'k');

    expect((await paused)[0]).toMatchObject({ offset: '0', resumeInMs: expect.any(Number) });
    await processed;
    expect(handled).toEqual(events.map((e) => e.requestId));
  });

  it('when a handler fails in an unknown way, then the runner stops, reports it, and leaves that message uncommitted', async () => {
    const topic = await h.topic(1);
    const groupId = `${topic}-g`;
    const fatal: Error[] = [];
    const runner = h.runner({
      groupId,
      topics: [topic],
      deadLetterTopic: `${topic}-dlq`,
      onFatal: (err) => fatal.push(err),
      handlers: {
        CouponIssueRequested: async (event) => {
          if (event.couponId === 'bug') throw new TypeError('cannot read properties of undefined');
        },
      },
    });
    const fatalEvent = collect(runner, 'fatal', 1);
    const processed = collect(runner, 'processed', 1);
    await runner.start();

    await h.publishRequests(topic, [request(), request({ couponId: 'bug' }), request()], 'k');

    await processed;
    expect((await fatalEvent)[0]).toBeInstanceOf(TypeError);
    expect(fatal).toHaveLength(1);
    await expect
      .poll(
        async () =>
          (await h.admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions[0]?.offset,
      )
      .toBe('1');
  });

  it('when the runner stops mid-batch, then it commits exactly what it processed and a successor does the rest once', async () => {
    const topic = await h.topic(1);
    const groupId = `${topic}-g`;
    const total = 300;
    const events = Array.from({ length: total }, () => request());
    await h.publishRequests(topic, events, 'k');
    const slowHandler = (seen: string[]) => ({
      CouponIssueRequested: async (event: { requestId: string }) => {
        await new Promise((r) => setTimeout(r, 2));
        seen.push(event.requestId);
      },
    });

    const first: string[] = [];
    const runner = h.runner({
      groupId,
      topics: [topic],
      deadLetterTopic: `${topic}-dlq`,
      handlers: slowHandler(first),
    });
    const someProcessed = collect(runner, 'processed', 50);
    await runner.start();
    await someProcessed;
    await runner.stop();

    const [committed] = await h.admin.fetchOffsets({ groupId, topics: [topic] });
    expect(Number(committed?.partitions[0]?.offset)).toBe(first.length);
    expect(first.length).toBeLessThan(total);

    const second: string[] = [];
    const successor = h.runner({
      groupId,
      topics: [topic],
      deadLetterTopic: `${topic}-dlq`,
      handlers: slowHandler(second),
    });
    const rest = collect(successor, 'processed', total - first.length);
    await successor.start();
    await rest;

    expect([...first, ...second]).toEqual(events.map((e) => e.requestId));
  });
});
