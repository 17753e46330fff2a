import { EventEmitter } from 'node:events';
import type { Consumer } from 'kafkajs';
import { KafkaJSNonRetriableError } from 'kafkajs';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PartitionPauser } from './partition-pauser.ts';

const ref = { topic: 't', partition: 1, offset: '42' };

function pauserOver(resume: () => void) {
  const consumer = { pause: vi.fn(), seek: vi.fn(), resume: vi.fn(resume) };
  const pauser = new PartitionPauser({
    consumer: consumer as unknown as Consumer,
    policy: { initialDelayMs: 1_000, maxDelayMs: 30_000, jitter: 0 },
    logger: pino({ level: 'silent' }),
    events: new EventEmitter(),
    metrics: undefined,
  });
  return { consumer, pauser };
}

describe('PartitionPauser', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('when a partition is paused, then it is sought back to the message and resumed after the delay', () => {
    const { consumer, pauser } = pauserOver(() => undefined);
    pauser.pause(ref, new Error('down'));
    expect(consumer.pause).toHaveBeenCalledWith([{ topic: 't', partitions: [1] }]);
    expect(consumer.seek).toHaveBeenCalledWith(ref);
    vi.advanceTimersByTime(999);
    expect(consumer.resume).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(consumer.resume).toHaveBeenCalledWith([{ topic: 't', partitions: [1] }]);
  });

  it('when the consumer is restarting at the resume (kafkajs throws: no group), then nothing throws out of the timer', () => {
    const { consumer, pauser } = pauserOver(() => {
      throw new KafkaJSNonRetriableError(
        'Consumer group was not initialized, consumer#run must be called first',
      );
    });
    pauser.pause(ref, new Error('down'));
    expect(() => vi.advanceTimersByTime(1_000)).not.toThrow();
    expect(consumer.resume).toHaveBeenCalledTimes(1);
  });
});
