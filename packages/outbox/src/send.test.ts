import type { EncodedEvent, OutgoingEvent } from '@commerce/kafka';
import { describe, expect, it } from 'vitest';
import { byTopics, prepare, sendGroup } from './send.ts';
import type { OutboxRow } from './table.ts';

const row = (id: number, key: string, payload: object = {}, topic = 't') =>
  ({
    id: BigInt(id),
    message_key: key,
    topic,
    event_type: 'CouponIssueRequested',
    payload: JSON.stringify(payload),
    correlation_id: 'c',
    traceparent: null,
    attempts: 0,
  }) as OutboxRow;

// Encodes the payload's `size` as that many bytes; a payload with `bad` does not encode.
const producer = {
  async encode(event: OutgoingEvent): Promise<EncodedEvent> {
    const payload = event.payload as unknown as { bad?: boolean; size?: number };
    if (payload.bad) throw new Error('invalid');
    return {
      topic: event.topic,
      key: event.key,
      value: Buffer.alloc(payload.size ?? 10),
      headers: {},
    };
  },
};
const ids = (rows: { row: OutboxRow }[]) => rows.map(({ row }) => Number(row.id));

describe('prepare', () => {
  it('stops each key at its first row that cannot go out; other keys are whole', async () => {
    const { runs, failures } = await prepare(
      [row(1, 'a'), row(2, 'b'), row(3, 'a', { bad: true }), row(4, 'a'), row(5, 'b')],
      producer,
      1_000,
    );
    expect(runs.map(ids)).toEqual([[1], [2, 5]]);
    expect(ids(failures)).toEqual([3]);
  });

  it('fails a message over the size limit before it is sent', async () => {
    const { runs, failures } = await prepare(
      [row(1, 'a', { size: 2_000 }), row(2, 'a'), row(3, 'b')],
      producer,
      1_000,
    );
    expect(runs.map(ids)).toEqual([[3]]);
    expect(String(failures[0]?.error)).toMatch(/over the 1000-byte limit/);
  });
});

describe('byTopics and sendGroup', () => {
  it('sends each topic apart; a failed send fails the first row of each of its keys', async () => {
    const { runs } = await prepare(
      [row(1, 'a', {}, 'x'), row(2, 'b', {}, 'y'), row(3, 'a', {}, 'x'), row(4, 'c', {}, 'x')],
      producer,
      1_000,
    );
    const groups = byTopics(runs);
    const refusing = {
      async sendEncoded(messages: readonly EncodedEvent[]) {
        if (messages.some((m) => m.topic === 'x')) throw new Error('topic x refused');
        return [];
      },
    };
    const outcomes = await Promise.all(groups.map((group) => sendGroup(refusing, group)));

    expect(groups.map((group) => group.map(ids))).toEqual([[[1, 3], [4]], [[2]]]);
    expect(outcomes.map((o) => o.published.map(Number))).toEqual([[], [2]]);
    expect(outcomes.map((o) => ids(o.failures))).toEqual([[1, 4], []]);
  });

  it('ends a key run before its first row for another topic: that row waits for a later round', async () => {
    const { runs, failures, deferred } = await prepare(
      [row(1, 'a', {}, 'x'), row(2, 'b', {}, 'y'), row(3, 'a', {}, 'y'), row(4, 'a', {}, 'x')],
      producer,
      1_000,
    );
    expect(runs.map(ids)).toEqual([[1], [2]]);
    expect(byTopics(runs).map((group) => group.map(ids))).toEqual([[[1]], [[2]]]);
    expect({ failures, deferred }).toEqual({ failures: [], deferred: 2 });
  });
});
