import { type EventPayloads, type EventType, eventTypes, newTraceparent } from '@commerce/events';
import { anEvent } from '@commerce/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventHandlers, HandlerContext } from '../src/consumer-runner.ts';
import { collect, createHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe('every event type through Kafka and the registry', () => {
  it('when each event type is published, then the consumer receives it unchanged with its headers', async () => {
    const topic = await h.topic();
    const sent = Object.fromEntries(eventTypes.map((type) => [type, anEvent(type)])) as {
      [T in EventType]: EventPayloads[T];
    };
    const received = new Map<EventType, { payload: unknown; context: HandlerContext }>();
    const handlers = Object.fromEntries(
      eventTypes.map((type) => [
        type,
        async (payload: unknown, context: HandlerContext) =>
          void received.set(type, { payload, context }),
      ]),
    ) as EventHandlers;
    const runner = h.runner({
      groupId: `${topic}-g`,
      topics: [topic],
      deadLetterTopic: `${topic}-dlq`,
      handlers,
    });
    const processed = collect(runner, 'processed', eventTypes.length);
    await runner.start();
    const traceparent = newTraceparent();

    await h.producer.publish(
      eventTypes.map((type) => ({
        topic,
        key: type,
        type,
        payload: sent[type],
        correlationId: 'req-42',
        traceparent,
      })),
    );
    await processed;

    for (const type of eventTypes) {
      const got = received.get(type);
      expect(got?.payload).toEqual(sent[type]);
      expect(got?.context.key).toBe(type);
      expect(got?.context.headers).toEqual({
        eventId: sent[type].eventId,
        eventType: type,
        correlationId: 'req-42',
        producer: 'test',
        // same trace, new span
        traceparent: expect.stringMatching(
          new RegExp(`^00-${traceparent.split('-')[1]}-[0-9a-f]{16}-01$`),
        ),
      });
    }
  });
});
