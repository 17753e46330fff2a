/**
 * The topic catalog: every topic the services use, its partition count, what its key
 * is and which events it carries, plus one dead-letter topic per consumer group.
 * Topics are created from this list (see cli/create-topics.ts), never on first use.
 */

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** The event field used as the message key: same key, same partition, same order. */
  readonly key: string;
  readonly events: readonly string[];
}

export const topics = {
  couponRequests: {
    name: 'coupon-requests',
    partitions: 3,
    key: 'userId',
    events: ['CouponIssueRequested'],
  },
  couponResults: {
    name: 'coupon-results',
    partitions: 3,
    key: 'userId',
    events: ['CouponIssueSucceeded', 'CouponIssueFailed'],
  },
  orderCompleted: {
    name: 'order-completed',
    partitions: 3,
    key: 'userId',
    events: ['OrderCompleted'],
  },
  externalEvents: {
    name: 'external-events',
    partitions: 3,
    key: 'aggregateId',
    events: ['PaymentCompleted', 'CouponIssued'],
  },
  productEvents: {
    name: 'product-events',
    partitions: 3,
    key: 'productId',
    events: ['ProductStockChanged'],
  },
  /**
   * webhook-relay's dead letters: the group's dead-letter topic, which also carries one
   * envelope per delivery it gave up on (original event, endpoint, attempts).
   */
  webhookDeadLetters: {
    name: 'webhook-relay.dlq',
    partitions: 3,
    key: 'endpointId',
    events: ['WebhookDeliveryDeadLettered'],
  },
} as const satisfies Record<string, TopicSpec>;

export type TopicName = (typeof topics)[keyof typeof topics]['name'];

export interface ConsumerGroupSpec {
  readonly groupId: string;
  readonly topics: readonly TopicName[];
  /** Where this group's poison messages go, with their original coordinates. */
  readonly deadLetterTopic: string;
}

const group = (groupId: string, consumed: readonly TopicName[]): ConsumerGroupSpec => ({
  groupId,
  topics: consumed,
  deadLetterTopic: `${groupId}.dlq`,
});

export const consumerGroups = {
  couponWorker: group('coupon-worker', ['coupon-requests']),
  couponApi: group('coupon-api', ['coupon-results']),
  rankingWorker: group('ranking-worker', ['order-completed']),
  analyticsWorker: group('analytics-worker', [
    'order-completed',
    'product-events',
    'coupon-results',
  ]),
  webhookRelay: group('webhook-relay', ['external-events']),
} as const satisfies Record<string, ConsumerGroupSpec>;

/** Dead-letter topics have one partition per source partition count: order there is not a goal. */
const DEAD_LETTER_PARTITIONS = 3;

/** Every topic to create, business topics first; a dead-letter topic that carries events is listed once. */
export function allTopicSpecs(): { name: string; partitions: number }[] {
  const catalog = Object.values(topics).map(({ name, partitions }) => ({ name, partitions }));
  const listed = new Set<string>(catalog.map((t) => t.name));
  return [
    ...catalog,
    ...Object.values(consumerGroups)
      .filter(({ deadLetterTopic }) => !listed.has(deadLetterTopic))
      .map(({ deadLetterTopic }) => ({
        name: deadLetterTopic,
        partitions: DEAD_LETTER_PARTITIONS,
      })),
  ];
}

/**
 * A group's names in one deployment: every topic and the group id carry the deployment's
 * name prefix (empty in production; tests and shared environments get their own).
 */
export function groupNames(
  spec: ConsumerGroupSpec,
  prefix = '',
): { groupId: string; topics: string[]; deadLetterTopic: string } {
  return {
    groupId: prefix + spec.groupId,
    topics: spec.topics.map((topic) => prefix + topic),
    deadLetterTopic: prefix + spec.deadLetterTopic,
  };
}
