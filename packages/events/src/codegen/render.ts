import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The subset of Avro the contracts use; anything else fails generation loudly. */
type AvroType =
  | string
  | AvroType[]
  | { type: 'record'; name: string; namespace?: string; doc?: string; fields: AvroField[] }
  | { type: 'enum'; name: string; namespace?: string; doc?: string; symbols: string[] }
  | { type: 'array'; items: AvroType }
  | { type: string; logicalType: string };

interface AvroField {
  name: string;
  type: AvroType;
  doc?: string;
}

export interface SchemaFile {
  eventType: string;
  schema: AvroType & { type: 'record'; name: string };
}

export function loadSchemas(dir: string): SchemaFile[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.avsc'))
    .sort()
    .map((file) => {
      const schema = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      if (`${schema.name}.avsc` !== file)
        throw new Error(`${file} must hold the record ${file.replace('.avsc', '')}`);
      return { eventType: schema.name, schema };
    });
}

const primitives: Record<string, string> = {
  null: 'null',
  boolean: 'boolean',
  int: 'number',
  long: 'number',
  float: 'number',
  double: 'number',
  string: 'string',
  bytes: 'Buffer',
};

/** Renders one Avro type as a TypeScript type, collecting named types on the way. */
function tsType(type: AvroType, named: string[]): string {
  if (typeof type === 'string') {
    const primitive = primitives[type];
    if (primitive) return primitive;
    return type.split('.').at(-1) as string; // a reference to a named type defined earlier
  }
  if (Array.isArray(type)) return type.map((t) => tsType(t, named)).join(' | ');
  if ('logicalType' in type) return tsType(type.type, named);
  if (type.type === 'array' && 'items' in type) return `${tsType(type.items, named)}[]`;
  if (type.type === 'enum' && 'symbols' in type) {
    named.push(
      `${docComment(type.doc)}export type ${type.name} = ${type.symbols.map((s) => `'${s}'`).join(' | ')};\n` +
        `export const ${lowerFirst(type.name)}Values = [${type.symbols.map((s) => `'${s}'`).join(', ')}] as const;\n`,
    );
    return type.name;
  }
  if (type.type === 'record' && 'fields' in type) {
    const fields = type.fields.map(
      (field) => `${docComment(field.doc, '  ')}  ${field.name}: ${tsType(field.type, named)};`,
    );
    named.push(`${docComment(type.doc)}export interface ${type.name} {\n${fields.join('\n')}\n}\n`);
    return type.name;
  }
  throw new Error(`unsupported Avro type ${JSON.stringify(type)}`);
}

function docComment(doc: string | undefined, indent = ''): string {
  return doc ? `${indent}/** ${doc} */\n` : '';
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

export function renderContracts(files: SchemaFile[]): string {
  const named: string[] = [];
  for (const file of files) tsType(file.schema, named);
  const eventTypes = files.map((f) => f.eventType);
  return [
    '// Generated from schemas/*.avsc by scripts/generate.ts. Do not edit: change the schema and regenerate.\n',
    ...named,
    `export const eventTypes = [${eventTypes.map((t) => `'${t}'`).join(', ')}] as const;\n`,
    'export type EventType = (typeof eventTypes)[number];\n',
    `export interface EventPayloads {\n${eventTypes.map((t) => `  ${t}: ${t};`).join('\n')}\n}\n`,
    '/** The Avro schema of each event, as in schemas/<EventType>.avsc. */',
    `export const eventSchemas: Record<EventType, object> = ${JSON.stringify(
      Object.fromEntries(files.map((f) => [f.eventType, f.schema])),
      null,
      2,
    )};\n`,
  ].join('\n');
}
