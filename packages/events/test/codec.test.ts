import { scratchSubjects, stackAddresses } from '@commerce/testing';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { beforeAll, describe, expect, it } from 'vitest';
import { EventCodec } from '../src/codec.ts';
import { eventSchemas, eventTypes } from '../src/contracts.generated.ts';
import { deleteSubject, registerAll } from '../src/registration.ts';
import { subjectSchemas } from '../src/schemas.ts';
import { anEvent } from '../src/testing/index.ts';

const registryUrl = stackAddresses().schemaRegistryUrl;
const registry = new SchemaRegistry({ host: registryUrl });
const codec = new EventCodec(registry);
const scratchSubject = scratchSubjects((subject) => deleteSubject(registryUrl, subject));

beforeAll(async () => {
  const results = await registerAll(registryUrl, subjectSchemas());
  expect(results.filter((r) => !r.compatible)).toEqual([]);
  await codec.preload();
});

function wire(schemaId: number, avroBytes: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, avroBytes]);
}

describe('EventCodec against the registry', () => {
  it.each(eventTypes)(
    'when a %s is encoded, then decoding gives the same event back',
    async (type) => {
      const event = anEvent(type);
      const decoded = await codec.decode(await codec.encode(type, event));
      expect(decoded).toEqual({ type, payload: event, schemaId: expect.any(Number) });
    },
  );

  it('when a payload breaks its schema, then encoding names the offending fields', async () => {
    const event = { ...anEvent('OrderCompleted'), totalAmount: 'lots' } as never;
    await expect(codec.encode('OrderCompleted', event)).rejects.toMatchObject({
      code: 'INVALID_PAYLOAD',
      message: expect.stringContaining('totalAmount'),
    });
  });

  it('when bytes are not in the wire format, then decoding fails with WRONG_MAGIC_BYTE', async () => {
    await expect(codec.decode(Buffer.from('{"not":"avro"}'))).rejects.toMatchObject({
      code: 'WRONG_MAGIC_BYTE',
    });
    await expect(codec.decode(null)).rejects.toMatchObject({
      code: 'WRONG_MAGIC_BYTE',
      permanent: true,
    });
  });

  it('when the schema id is unknown to the registry, then decoding fails with UNKNOWN_SCHEMA_ID', async () => {
    await expect(codec.decode(wire(2_000_000_000, Buffer.from([1, 2, 3])))).rejects.toMatchObject({
      code: 'UNKNOWN_SCHEMA_ID',
    });
  });

  it('when the bytes are cut short, then decoding fails with INVALID_PAYLOAD', async () => {
    const encoded = await codec.encode('OrderCompleted', anEvent('OrderCompleted'));
    await expect(codec.decode(encoded.subarray(0, 20))).rejects.toMatchObject({
      code: 'INVALID_PAYLOAD',
    });
  });

  it('when a record is not an event of this system, then decoding fails with UNKNOWN_EVENT_TYPE', async () => {
    const stranger = {
      type: 'record',
      name: 'Stranger',
      namespace: 'elsewhere',
      fields: [{ name: 'x', type: 'int' }],
    };
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(stranger) },
      { subject: scratchSubject('stranger') },
    );
    await expect(codec.decode(await registry.encode(id, { x: 1 }))).rejects.toMatchObject({
      code: 'UNKNOWN_EVENT_TYPE',
    });
  });

  it('when an older writer left out a field with a default, then the reader fills in the default', async () => {
    const current = eventSchemas.ProductStockChanged as { fields: { name: string }[] };
    const older = { ...current, fields: current.fields.filter((f) => f.name !== 'orderId') };
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(older) },
      { subject: scratchSubject('stock-v1') },
    );
    const { orderId: _dropped, ...oldEvent } = {
      ...anEvent('ProductStockChanged'),
      reason: 'RESTOCKED' as const,
    };
    const decoded = await codec.decode(await registry.encode(id, oldEvent));
    expect(decoded.payload).toEqual({ ...oldEvent, orderId: null });
  });
});
