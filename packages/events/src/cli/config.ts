import { commonEnv, loadConfig } from '@commerce/service';
import { z } from 'zod';

const schema = z.object({
  /** The registry the schema step checks against and registers in (the local stack's by default). */
  SCHEMA_REGISTRY_URL: commonEnv.SCHEMA_REGISTRY_URL.prefault('http://127.0.0.1:8081'),
});

export function readSchemaStepConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(schema, env);
}
