#!/usr/bin/env node
// Generates src/contracts.generated.ts from schemas/*.avsc: one TypeScript type per Avro
// record and enum, the schemas themselves, and the map from event type to payload.
//   node scripts/generate.ts           write the file
//   node scripts/generate.ts --check   exit 1 if the committed file is stale (used by tests)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSchemas, renderContracts } from '../src/codegen/render.ts';

const root = join(import.meta.dirname, '..');
const target = join(root, 'src', 'contracts.generated.ts');
const rendered = renderContracts(loadSchemas(join(root, 'schemas')));

if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== rendered) {
    console.error(`${target} is stale: run pnpm --filter @commerce/events generate`);
    process.exit(1);
  }
} else {
  writeFileSync(target, rendered);
  console.log(`wrote ${target}`);
}
