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
const outOfOrder = () =>
  Promise.reject(
    Object.assign(new Error('The broker received an out of order sequence number'), {
      name: 'KafkaJSProtocolError',
      type: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
    }),
  );

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

  it('when a send fails with OUT_OF_ORDER_SEQUENCE_NUMBER, then it fails and the next send goes through a new producer', async () => {
    const { producer, producers } = fakeKafka({ connect: [], send: [outOfOrder] });
    await producer.connect();

    await expect(producer.sendEncoded([message])).rejects.toThrow(/out of order/);
    await producer.sendEncoded([message]);

    expect(producers).toEqual([
      { connects: 1, sends: 1, disconnected: true },
      { connects: 1, sends: 1, disconnected: false },
    ]);
  });

  it('when a send fails because its broker went away, then the next send goes through a new producer too', async () => {
    const { producer, producers } = fakeKafka({ connect: [], send: [refused] });
    await producer.connect();

    await expect(producer.sendEncoded([message])).rejects.toThrow(/refused/);
    await producer.sendEncoded([message]);

    expect(producers.map((p) => p.sends)).toEqual([1, 1]);
    expect(producers[0]?.disconnected).toBe(true);
  });

  it('when a send fails while another is in flight, then the old producer is disconnected only after that one settled', async () => {
    const release: (() => void)[] = [];
    const slow = () => new Promise<void>((resolve) => release.push(resolve));
    const { producer, producers } = fakeKafka({ connect: [], send: [slow, outOfOrder] });
    await producer.connect();

    const inFlight = producer.sendEncoded([message]);
    await expect(producer.sendEncoded([message])).rejects.toThrow(/out of order/);
    const whileInFlight = producers[0]?.disconnected;
    for (const resolve of release) resolve();
    await inFlight;

    expect(whileInFlight).toBe(false);
    expect(producers[0]?.disconnected).toBe(true);
  });
});
