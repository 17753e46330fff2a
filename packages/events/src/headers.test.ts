import { describe, expect, it } from 'vitest';
import { childTraceparent, fromKafkaHeaders, newTraceparent, toKafkaHeaders } from './headers.ts';

describe('event headers', () => {
  it('survive the trip through Kafka header buffers', () => {
    const headers = {
      eventId: 'e-1',
      eventType: 'OrderCompleted',
      correlationId: 'req-1',
      traceparent: newTraceparent(),
      producer: 'order-api',
    };
    const asReceived = Object.fromEntries(
      Object.entries(toKafkaHeaders(headers)).map(([k, v]) => [k, Buffer.from(v)]),
    );
    expect(fromKafkaHeaders(asReceived)).toEqual(headers);
  });

  it('leave out what a message does not carry', () => {
    expect(fromKafkaHeaders({ 'event-id': Buffer.from('e-1') })).toEqual({ eventId: 'e-1' });
    expect(fromKafkaHeaders(undefined)).toEqual({});
  });

  it('continue the trace of a valid parent and start a new one otherwise', () => {
    const parent = newTraceparent();
    expect(parent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const child = childTraceparent(parent);
    expect(child.split('-')[1]).toBe(parent.split('-')[1]);
    expect(child.split('-')[2]).not.toBe(parent.split('-')[2]);
    expect(childTraceparent('garbage').split('-')[1]).not.toBe(parent.split('-')[1]);
  });
});
