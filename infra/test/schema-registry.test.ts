import { deleteSubject } from '@commerce/events';
import { scratchSubjects, stackAddresses, uniqueName } from '@commerce/testing';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const { kafkaBrokers, schemaRegistryUrl } = stackAddresses();
const registry = new SchemaRegistry({ host: schemaRegistryUrl });
const kafka = new Kafka({
  clientId: 'registry-smoke',
  brokers: kafkaBrokers,
  logLevel: logLevel.WARN,
});
const admin = kafka.admin();
const scratchSubject = scratchSubjects((subject) => deleteSubject(schemaRegistryUrl, subject));
const topic = uniqueName('avro-smoke');

const schema = {
  type: 'record',
  name: 'Greeting',
  namespace: 'commerce.smoke',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'amount', type: 'long' },
  ],
};

beforeAll(async () => {
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
  });
});

afterAll(async () => {
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});

describe('schema registry', () => {
  it('when an Avro record goes through Kafka, then the consumer decodes it with the registered schema', async () => {
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
      { subject: scratchSubject('avro-smoke-value') },
    );
    const encoded = await registry.encode(id, { id: 'g-1', amount: 1250 });
    expect(encoded[0]).toBe(0); // Confluent wire format: magic byte, then the schema id
    expect(encoded.readInt32BE(1)).toBe(id);

    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'g-1', value: encoded }] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: uniqueName('registry-smoke') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const decoded = await new Promise<unknown>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) =>
            resolve(await registry.decode(message.value as Buffer)),
        })
        .catch(reject);
    });
    await consumer.disconnect();

    expect(decoded).toEqual({ id: 'g-1', amount: 1250 });
  });

  it('when a new version breaks BACKWARD compatibility, then the registry refuses it', async () => {
    const subject = scratchSubject('compat');
    await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject });
    const breaking = {
      ...schema,
      fields: [...schema.fields, { name: 'currency', type: 'string' }],
    };
    const compatible = {
      ...schema,
      fields: [...schema.fields, { name: 'currency', type: 'string', default: 'KRW' }],
    };

    await expect(
      registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(breaking) }, { subject }),
    ).rejects.toThrow(/incompatible|409/i);
    await expect(
      registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(compatible) }, { subject }),
    ).resolves.toEqual({ id: expect.any(Number) });
  });
});
