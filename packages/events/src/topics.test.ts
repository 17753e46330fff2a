import { describe, expect, it } from 'vitest';
import { allTopicSpecs, consumerGroups, topics } from './topics.ts';

describe('topic catalog', () => {
  it('lists the five business topics of the design and the webhook dead letters, 3 partitions each', () => {
    expect(Object.values(topics).map((t) => [t.name, t.partitions])).toEqual([
      ['coupon-requests', 3],
      ['coupon-results', 3],
      ['order-completed', 3],
      ['external-events', 3],
      ['product-events', 3],
      ['webhook-relay.dlq', 3],
    ]);
  });

  it('gives every consumer group its own dead-letter topic, and every topic name is unique', () => {
    const names = allTopicSpecs().map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const group of Object.values(consumerGroups))
      expect(names).toContain(group.deadLetterTopic);
  });

  it('only lets groups consume topics of the catalog', () => {
    const known = new Set<string>(Object.values(topics).map((t) => t.name));
    for (const group of Object.values(consumerGroups))
      for (const t of group.topics) expect(known).toContain(t);
  });
});
