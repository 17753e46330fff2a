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
  let out: string;
  try {
    // Thousands of tokens are megabytes of output: room for them, and an error that does not
    // print them (they are credentials).
    out = execFileSync(process.execPath, ['--conditions=@commerce/source', cli, ...users], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (err) {
    const { status, stderr } = err as { status?: number; stderr?: string };
    throw new Error(`mint-token failed (exit ${status}): ${String(stderr ?? '').slice(0, 500)}`);
  }
  const tokens = out.trim().split('\n');
  return new Map(users.map((user, i) => [user, tokens[i] as string]));
}
