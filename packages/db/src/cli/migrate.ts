#!/usr/bin/env node
// Usage: commerce-migrate <migrations-dir>   (reads DATABASE_URL)
import { parseDatabaseUrl } from '../database-url.ts';
import { migrate } from '../migrate.ts';

const [dir] = process.argv.slice(2);
const url = process.env.DATABASE_URL;
if (!dir || !url) {
  console.error(
    'usage: DATABASE_URL=mysql://user:pass@host:3306/db commerce-migrate <prisma/migrations dir>',
  );
  process.exit(2);
}

try {
  const result = await migrate(parseDatabaseUrl(url), dir);
  for (const name of result.applied) console.log(`applied          ${name}`);
  console.log(`${result.applied.length} applied, ${result.alreadyApplied.length} already applied`);
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
}
