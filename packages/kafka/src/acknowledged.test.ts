import type { RecordMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { UnacknowledgedSendError, unacknowledged } from './acknowledged.ts';
import { classifyFailure } from './errors.ts';

const ack = (topicName: string, partition: number): RecordMetadata => ({
  topicName,
  partition,
  errorCode: 0,
});

describe('unacknowledged', () => {
  it('is empty when every partition written to was acknowledged', () => {
    const sent = [
      { topic: 'a', partition: 0 },
      { topic: 'a', partition: 0 },
      { topic: 'b', partition: 2 },
    ];
    expect(unacknowledged(sent, [ack('a', 0), ack('b', 2)])).toEqual([]);
  });

  it('names each partition without an acknowledgement once', () => {
    const sent = [
      { topic: 'a', partition: 0 },
      { topic: 'a', partition: 1 },
      { topic: 'a', partition: 1 },
      { topic: 'b', partition: 1 },
    ];
    expect(unacknowledged(sent, [ack('a', 0)])).toEqual([
      { topic: 'a', partition: 1 },
      { topic: 'b', partition: 1 },
    ]);
  });

  it('reports a failure the callers retry', () => {
    const error = new UnacknowledgedSendError([{ topic: 'a', partition: 1 }]);
    expect(error.message).toContain('a[1]');
    expect(classifyFailure(error)).toBe('transient');
  });
});
