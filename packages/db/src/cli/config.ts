import { databaseUrl, loadConfig } from '@commerce/service';
import { z } from 'zod';

const schema = z.object({
  /** The database to migrate; it is created when missing. */
  DATABASE_URL: databaseUrl,
});

export function readMigrateConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(schema, env);
}
