import { type SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import avro from 'avsc';
import {
  type EventPayloads,
  type EventType,
  eventSchemas,
  eventTypes,
} from './contracts.generated.ts';
import { EventContractError } from './errors.ts';
import { subjectOf } from './subjects.ts';

/** A decoded event: its type, its payload read with this code's schema, and the writer's schema id. */
export type DecodedEvent = {
  [T in EventType]: { type: T; payload: EventPayloads[T]; schemaId: number };
}[EventType];

const MAGIC_BYTE = 0;
const HEADER_LENGTH = 5; // magic byte + 4-byte schema id (Confluent wire format)

/**
 * Encodes and decodes events in the Confluent wire format through a schema registry.
 * Producing needs the schema already registered (the registration step does that):
 * this class looks ids up and never registers. Decoding reads the writer's schema from
 * the registry and resolves it to this code's schema, so older and newer compatible
 * writers are read as the types here say.
 */
export class EventCodec {
  private readonly readers = new Map<EventType, avro.Type>();
  private readonly byFullName = new Map<string, EventType>();
  private readonly schemaIds = new Map<EventType, Promise<number>>();
  private readonly resolvers = new Map<number, { type: EventType; resolver: avro.Resolver }>();
  private readonly registry: SchemaRegistry;

  constructor(registry: SchemaRegistry) {
    this.registry = registry;
    for (const type of eventTypes) {
      const reader = avro.Type.forSchema(eventSchemas[type] as avro.Schema);
      this.readers.set(type, reader);
      this.byFullName.set(reader.name as string, type);
    }
  }

  /** Looks up every schema id up front, so a missing registration fails at start-up, not mid-flight. */
  async preload(types: readonly EventType[] = eventTypes): Promise<void> {
    await Promise.all(types.map((type) => this.schemaId(type)));
  }

  async encode<T extends EventType>(type: T, payload: EventPayloads[T]): Promise<Buffer> {
    const reader = this.reader(type);
    const invalid: string[] = [];
    reader.isValid(payload, { errorHook: (path) => invalid.push(path.join('.') || '(root)') });
    if (invalid.length > 0) {
      throw new EventContractError(
        'INVALID_PAYLOAD',
        `${type} is invalid at: ${invalid.join(', ')}`,
      );
    }
    const header = Buffer.alloc(HEADER_LENGTH);
    header.writeUInt8(MAGIC_BYTE, 0);
    header.writeInt32BE(await this.schemaId(type), 1);
    return Buffer.concat([header, reader.toBuffer(payload)]);
  }

  async decode(buffer: Buffer | null): Promise<DecodedEvent> {
    if (!buffer || buffer.length < HEADER_LENGTH || buffer.readUInt8(0) !== MAGIC_BYTE) {
      throw new EventContractError(
        'WRONG_MAGIC_BYTE',
        'not in the Confluent wire format (magic byte 0 + schema id)',
      );
    }
    const schemaId = buffer.readInt32BE(1);
    const { type, resolver } = await this.resolverFor(schemaId);
    try {
      const payload = this.reader(type).fromBuffer(buffer.subarray(HEADER_LENGTH), resolver);
      return { type, payload, schemaId } as DecodedEvent;
    } catch (err) {
      throw new EventContractError(
        'INVALID_PAYLOAD',
        `bytes do not match schema ${schemaId} (${type})`,
        { cause: err },
      );
    }
  }

  private reader(type: EventType): avro.Type {
    const reader = this.readers.get(type);
    if (!reader) throw new EventContractError('UNKNOWN_EVENT_TYPE', `unknown event type ${type}`);
    return reader;
  }

  private schemaId(type: EventType): Promise<number> {
    let id = this.schemaIds.get(type);
    if (!id) {
      const subject = subjectOf(type);
      id = this.registry
        .getRegistryIdBySchema(subject, {
          type: SchemaType.AVRO,
          schema: JSON.stringify(eventSchemas[type]),
        })
        .catch((err: unknown) => {
          this.schemaIds.delete(type); // a later call may succeed once the registry answers
          throw isNotFound(err)
            ? new EventContractError(
                'SCHEMA_NOT_REGISTERED',
                `${type} is not registered under subject ${subject}: run the schema registration step (pnpm --filter @commerce/events schemas register)`,
                { cause: err },
              )
            : new EventContractError(
                'REGISTRY_UNAVAILABLE',
                `schema registry lookup for ${subject} failed`,
                {
                  cause: err,
                },
              );
        });
      this.schemaIds.set(type, id);
    }
    return id;
  }

  private async resolverFor(
    schemaId: number,
  ): Promise<{ type: EventType; resolver: avro.Resolver }> {
    const cached = this.resolvers.get(schemaId);
    if (cached) return cached;
    let writer: avro.Type;
    try {
      writer = (await this.registry.getSchema(schemaId)) as unknown as avro.Type;
    } catch (err) {
      throw isNotFound(err)
        ? new EventContractError(
            'UNKNOWN_SCHEMA_ID',
            `schema id ${schemaId} is not in the registry`,
            { cause: err },
          )
        : new EventContractError('REGISTRY_UNAVAILABLE', `fetching schema ${schemaId} failed`, {
            cause: err,
          });
    }
    const type = this.byFullName.get(writer.name ?? '');
    if (!type) {
      throw new EventContractError(
        'UNKNOWN_EVENT_TYPE',
        `schema ${schemaId} (${writer.name}) is not an event of this system`,
      );
    }
    try {
      const entry = { type, resolver: this.reader(type).createResolver(writer) };
      this.resolvers.set(schemaId, entry);
      return entry;
    } catch (err) {
      throw new EventContractError(
        'INCOMPATIBLE_SCHEMA',
        `schema ${schemaId} cannot be read as ${type}`,
        { cause: err },
      );
    }
  }
}

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'status' in err && err.status === 404;
}
