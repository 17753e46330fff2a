import type { EventCodec } from '@commerce/events';
import type { Kafka, Producer } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { type EncodedEvent, EventProducer } from './producer.ts';

// The connection and producer-renewal logic with a stand-in for kafkajs; what a real broker
// does in these situations is in infra/test/faults (broker down at start-up, broker killed).
function fakeKafka(script: { connect: (() => Promise<void>)[]; send: (() => Promise<void>)[] }) {
  const producers: { connects: number; sends: number; disconnected: boolean }[] = [];
  const kafka = {
    producer: () => {
      const state = { connects: 0, sends: 0, disconnected: false };
      producers.push(state);
      return {
        connect: async () => {
          state.connects++;
          await (script.connect.shift() ?? (async () => undefined))();
        },
        disconnect: async () => {
          state.disconnected = true;
        },
        sendBatch: async () => {
          state.sends++;
          await (script.send.shift() ?? (async () => undefined))();
          return [];
        },
      } as unknown as Producer;
    },
  } as unknown as Kafka;
  const producer = new EventProducer({ kafka, codec: {} as EventCodec, service: 'test' });
  return { producer, producers };
}

const message: EncodedEvent = { topic: 't', key: 'k', value: Buffer.from('v'), headers: {} };
const refused = () => Promise.reject(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }));

describe('EventProducer', () => {
  it('when no broker answers at connect, then connect resolves false and the next send connects first', async () => {
    const { producer, producers } = fakeKafka({ connect: [refused], send: [] });

    expect(await producer.connect()).toBe(false);
    await producer.sendEncoded([message]);

    expect(producers).toEqual([{ connects: 2, sends: 1, disconnected: false }]);
  });

  it('when connecting takes longer than the wait, then connect resolves false and the send waits for that attempt', async () => {
    const release: (() => void)[] = [];
    const slow = () => new Promise<void>((resolve) => release.push(resolve));
    const { producer, producers } = fakeKafka({ connect: [slow], send: [] });

    expect(await producer.connect(20)).toBe(false);
    const sent = producer.sendEncoded([message]);
    for (const resolve of release) resolve();
    await sent;

    expect(producers).toEqual([{ connects: 1, sends: 1, disconnected: false }]);
  });

  it('creates a producer without retries inside kafkajs, and so not idempotent (kafkajs requires retries for that)', () => {
    const options: unknown[] = [];
    const kafka = { producer: (o: unknown) => (options.push(o), {}) } as unknown as Kafka;
    new EventProducer({ kafka, codec: {} as EventCodec, service: 'test' });

    expect(options).toEqual([
      expect.objectContaining({ retry: { retries: 0 }, idempotent: false }),
    ]);
  });
});
