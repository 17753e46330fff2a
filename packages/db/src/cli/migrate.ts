#!/usr/bin/env node
// Usage: commerce-migrate <migrations-dir>   (reads DATABASE_URL)
import { parseDatabaseUrl } from '../database-url.ts';
import { migrate } from '../migrate.ts';
import { readMigrateConfig } from './config.ts';

const usage =
  'usage: DATABASE_URL=mysql://user:pass@host:3306/db commerce-migrate <prisma/migrations dir>';
const [dir] = process.argv.slice(2);
let config: ReturnType<typeof readMigrateConfig>;
try {
  config = readMigrateConfig();
  if (!dir) throw new Error('name the migrations folder');
} catch (err) {
  console.error(`${(err as Error).message}\n${usage}`);
  process.exit(2);
}

try {
  const result = await migrate(parseDatabaseUrl(config.DATABASE_URL), dir);
  for (const name of result.applied) console.log(`applied          ${name}`);
  console.log(`${result.applied.length} applied, ${result.alreadyApplied.length} already applied`);
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
}
