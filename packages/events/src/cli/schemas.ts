#!/usr/bin/env node
// The schema step the build runs (SCHEMA_REGISTRY_URL, default http://127.0.0.1:8081):
//   schemas check      each schema must be BACKWARD compatible with its previous committed
//                      version (checked in scratch subjects, so any registry will do); with
//                      no git history (shallow clone, tarball), with the registry's version
//   schemas register   register every schema under its real subject, BACKWARD enforced
import { join } from 'node:path';
import { eventTypes } from '../contracts.generated.ts';
import { checkSchemas } from '../history.ts';
import { type RegistrationResult, registerAll } from '../registration.ts';
import { subjectSchemas } from '../schemas.ts';
import { readSchemaStepConfig } from './config.ts';

let registryUrl: string;
try {
  registryUrl = readSchemaStepConfig().SCHEMA_REGISTRY_URL;
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
const command = process.argv[2];
const schemaDir = join(import.meta.dirname, '..', '..', 'schemas');

const steps: Record<string, () => Promise<RegistrationResult[]>> = {
  check: async () => {
    const { against, results } = await checkSchemas(
      registryUrl,
      subjectSchemas().map(({ subject }, i) => ({
        subject,
        file: join(schemaDir, `${eventTypes[i]}.avsc`),
      })),
    );
    console.log(
      against === 'registry'
        ? `no git history here (shallow clone or no checkout): schemas checked against ${registryUrl}`
        : 'schemas checked against their previous committed versions',
    );
    return results;
  },
  register: () => registerAll(registryUrl, subjectSchemas()),
};

const step = command === undefined ? undefined : steps[command];
if (!step) {
  console.error('usage: schemas check|register   (SCHEMA_REGISTRY_URL selects the registry)');
  process.exit(2);
}
try {
  const results = await step();
  for (const r of results) {
    console.log(
      `${r.compatible ? 'ok          ' : 'INCOMPATIBLE'} ${r.subject}${r.id ? ` (id ${r.id})` : ''}`,
    );
    for (const message of r.messages) console.log(`             ${message}`);
  }
  if (results.some((r) => !r.compatible)) {
    console.error(
      'schema step failed: make the change BACKWARD compatible (e.g. give new fields a default)',
    );
    process.exitCode = 1;
  }
} catch (err) {
  console.error(`schema step against ${registryUrl} failed:`, (err as Error).message);
  process.exitCode = 1;
}
