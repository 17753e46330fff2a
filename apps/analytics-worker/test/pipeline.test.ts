import { deadLetterHeaders } from '@commerce/kafka';
import { afterEach, describe, expect, it } from 'vitest';
import { anOrder, mixedEvents, seoulMidnight } from './support/events.ts';
import { expectedAggregates } from './support/expected.ts';
import { createHarness, type Harness, operatorHeaders } from './support/harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('analytics-worker pipeline (real Kafka, registry and MariaDB)', () => {
  it('when events are consumed and then replayed from the earliest offset, then the aggregates equal those computed from the events, once', async () => {
    h = await createHarness({ BATCH_MAX_RECORDS: '100' });
    const events = mixedEvents(800);
    const expected = expectedAggregates(events);
    await h.publish(events);

    const first = await h.worker();
    await expect.poll(() => h?.lag(), { timeout: 30_000, interval: 200 }).toBe(0);
    expect(await h.aggregates()).toEqual(expected);
    await first.stop();

    await h.resetToEarliest();
    expect(await h.lag()).toBe(800);
    const replay = await h.worker();
    let flushed = 0;
    replay.runner.on('flushed', ({ records }) => {
      flushed += records;
    });
    await expect.poll(() => h?.lag(), { timeout: 30_000, interval: 200 }).toBe(0);
    expect(flushed).toBe(800);
    expect(await h.aggregates()).toEqual(expected);
  });

  it('when the same event is published twice at two offsets (an outbox re-publish), then it counts once', async () => {
    h = await createHarness();
    const order = anOrder(seoulMidnight, 'a', [['p', 3, 1_000]]);
    await h.worker();
    await h.publish([order]);
    await expect.poll(() => h?.lag(), { timeout: 20_000 }).toBe(0);
    await h.publish([order, anOrder(seoulMidnight, 'b', [['p', 1, 1_000]])]);
    await expect.poll(() => h?.lag(), { timeout: 20_000 }).toBe(0);
    expect((await h.aggregates()).hours).toEqual({
      '2026-03-09T15:00:00.000Z': { day: '2026-03-10', orders: 2, revenue: 4_000, buyers: 2 },
    });
  });

  it('when orders straddle a Seoul midnight and a late event arrives, then each lands in the hour and day of its occurredAt', async () => {
    h = await createHarness();
    const before = anOrder(seoulMidnight - 1, 'a', [['p', 1, 1_000]]);
    const after = anOrder(seoulMidnight, 'b', [['p', 2, 1_000]]);
    const worker = await h.worker();
    await h.publish([before, after]);
    await expect.poll(() => h?.lag(), { timeout: 20_000 }).toBe(0);
    // Published last, happened first: two hours before midnight.
    const late = anOrder(seoulMidnight - 2 * 3_600_000 + 5, 'a', [['p', 4, 1_000]]);
    await h.publish([late]);
    await expect.poll(() => h?.lag(), { timeout: 20_000 }).toBe(0);

    expect((await h.aggregates()).hours).toEqual({
      '2026-03-09T13:00:00.000Z': { day: '2026-03-09', orders: 1, revenue: 4_000, buyers: 1 },
      '2026-03-09T14:00:00.000Z': { day: '2026-03-09', orders: 1, revenue: 1_000, buyers: 1 },
      '2026-03-09T15:00:00.000Z': { day: '2026-03-10', orders: 1, revenue: 2_000, buyers: 1 },
    });
    const days = await worker.app.inject({
      headers: operatorHeaders,
      url: '/analytics/sales?from=2026-03-09T00:00:00%2B09:00&to=2026-03-11T00:00:00%2B09:00&granularity=day',
    });
    expect(days.json().buckets).toEqual([
      { bucket: '2026-03-09', orders: 2, revenue: 5_000, buyers: 1 },
      { bucket: '2026-03-10', orders: 1, revenue: 2_000, buyers: 1 },
    ]);
    expect((await worker.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    const metrics = (await worker.app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/consumer_batch_records_count\{[^}]*\} [1-9]/);
    expect(metrics).toMatch(/consumer_flush_duration_seconds_count\{[^}]*\} [1-9]/);
    expect(metrics).toMatch(/consumer_messages_total\{[^}]*outcome="processed"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/consumer_lag_messages\{[^}]*\} 0/);
  });

  it('when poison and invalid records arrive, then they go to the dead-letter topic with their coordinates, the rest is counted and the lag returns to 0', async () => {
    h = await createHarness();
    const good = anOrder(seoulMidnight, 'a', [['p', 1, 500]]);
    const invalid = anOrder(seoulMidnight, 'a', [['p', 0, 500]]);
    const topic = h.topicOf('OrderCompleted');
    const raw = h.kafka.producer();
    await raw.connect();
    await raw.send({
      topic,
      messages: [
        { key: 'a', value: Buffer.from('{"not":"avro"}'), headers: { origin: 'test' } },
        { key: 'a', value: await h.codec.encode('OrderCompleted', invalid.payload as never) },
        {
          key: 'a',
          value: await h.codec.encode(
            'PaymentCompleted',
            (await import('@commerce/events/testing')).anEvent('PaymentCompleted'),
          ),
        },
        { key: 'a', value: await h.codec.encode('OrderCompleted', good.payload as never) },
      ],
    });
    await raw.disconnect();
    const worker = await h.worker();
    const letters: { offset: string; errorCode: string }[] = [];
    worker.runner.on('dead-lettered', (d) => letters.push(d));

    await expect.poll(() => h?.lag(), { timeout: 20_000 }).toBe(0);
    expect(letters.map((l) => [l.offset, l.errorCode])).toEqual([
      ['0', 'WRONG_MAGIC_BYTE'],
      ['1', 'INVALID_EVENT'],
      ['2', 'UNEXPECTED_EVENT_TYPE'],
    ]);
    expect((await h.aggregates()).facts.orderLines).toBe(1);
    const consumer = h.kafka.consumer({ groupId: `${h.groupId}-reader` });
    await consumer.connect();
    await consumer.subscribe({ topic: h.deadLetterTopic, fromBeginning: true });
    const headers: Record<string, string>[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          headers.push(
            Object.fromEntries(
              Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
            ),
          );
          if (headers.length === 3) resolve();
        },
      });
    });
    await consumer.disconnect();
    for (const [i, header] of headers.entries())
      expect(header).toMatchObject({
        [deadLetterHeaders.topic]: topic,
        [deadLetterHeaders.offset]: String(i),
        [deadLetterHeaders.consumerGroup]: h.groupId,
        [deadLetterHeaders.partition]: expect.stringMatching(/^[0-2]$/),
      });
  });
});
