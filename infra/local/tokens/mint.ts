// Shopper tokens for the local stack's shoppers (the demo, the console test), signed with
// the clone's own key pair through the mint-token CLI: one call for all of them, since
// signing is the slow part.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const cli = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'packages',
  'service',
  'src',
  'cli',
  'mint-token.ts',
);

/** A token for each of `users`, by user id. */
export function mintLocalTokens(users: string[]): Map<string, string> {
  const out = execFileSync(process.execPath, ['--conditions=@commerce/source', cli, ...users], {
    encoding: 'utf8',
  });
  const tokens = out.trim().split('\n');
  return new Map(users.map((user, i) => [user, tokens[i] as string]));
}
