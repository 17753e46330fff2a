import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { loadSchemas, renderContracts } from './codegen/render.ts';
import { eventSchemas, eventTypes } from './contracts.generated.ts';
import { subjectOf } from './subjects.ts';
import { anEvent } from './testing/index.ts';
import { topics } from './topics.ts';

const root = join(import.meta.dirname, '..');

describe('event contracts', () => {
  it('when a schema changes, then the committed TypeScript types must be regenerated', () => {
    const committed = readFileSync(join(root, 'src', 'contracts.generated.ts'), 'utf8');
    expect(committed).toBe(renderContracts(loadSchemas(join(root, 'schemas'))));
  });

  it('covers exactly the events the topic catalog carries', () => {
    const carried = Object.values(topics).flatMap((t) => t.events);
    expect([...eventTypes].sort()).toEqual([...carried].sort());
  });

  it.each(eventTypes)(
    '%s has a namespace, a doc on every field, an event id and an occurred-at time',
    (type) => {
      const schema = eventSchemas[type] as {
        namespace?: string;
        fields: { name: string; doc?: string }[];
      };
      expect(schema.namespace).toMatch(/^commerce\.events\./);
      expect(schema.fields.filter((f) => !f.doc)).toEqual([]);
      expect(schema.fields.slice(0, 2).map((f) => f.name)).toEqual(['eventId', 'occurredAt']);
    },
  );

  it.each(eventTypes)('the %s builder makes events the schema accepts', (type) => {
    const schemaType = avro.Type.forSchema(eventSchemas[type] as avro.Schema);
    expect(schemaType.isValid(anEvent(type))).toBe(true);
  });

  it('names subjects by topic, and by record on topics that carry several event types', () => {
    expect(subjectOf('CouponIssueRequested')).toBe('coupon-requests-value');
    expect(subjectOf('OrderCompleted')).toBe('order-completed-value');
    expect(subjectOf('CouponIssueFailed')).toBe(
      'coupon-results-commerce.events.coupon.CouponIssueFailed',
    );
    expect(subjectOf('PaymentCompleted')).toBe(
      'external-events-commerce.events.external.PaymentCompleted',
    );
  });
});
