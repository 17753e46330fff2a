import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createShopperTokenVerifier } from '../src/security/shopper-tokens.ts';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '..', 'src', 'cli', 'mint-token.ts');
const stackDir = await mkdtemp(join(tmpdir(), 'mint-token-'));
afterAll(() => rm(stackDir, { recursive: true, force: true }));

const mintToken = (...args: string[]) =>
  run(process.execPath, ['--conditions=@commerce/source', cli, ...args], {
    env: { ...process.env, COMMERCE_STACK_DIR: stackDir },
  });

/** Reads `export NAME='value'` lines as a shell would. */
function exportsOf(text: string): Record<string, string> {
  const pairs = [...text.matchAll(/^export (\w+)='((?:[^']|'\\'')*)'$/gm)];
  return Object.fromEntries(
    pairs.map(([, name, value]) => [name, value?.replaceAll("'\\''", "'")]),
  );
}

describe('mint-token', () => {
  it('makes the local key pair on first use (private key readable by its owner only) and mints tokens the services verify', async () => {
    const settings = exportsOf((await mintToken('--env')).stdout);
    expect((await stat(join(stackDir, 'jwt', 'private.pem'))).mode & 0o077).toBe(0);
    const tokens = (await mintToken('alice', 'bob')).stdout.trim().split('\n');
    // A second --env gives the same key: it was kept, not made again.
    expect(exportsOf((await mintToken('--env')).stdout)).toEqual(settings);

    const verifier = createShopperTokenVerifier({
      keys: { publicKeyPem: settings.JWT_PUBLIC_KEY as string },
      issuer: settings.JWT_ISSUER as string,
      audience: settings.JWT_AUDIENCE as string,
      algorithms: ['RS256'],
      clockSkewSeconds: 0,
    });
    expect(await Promise.all(tokens.map((token) => verifier.verify(token)))).toEqual([
      { userId: 'alice' },
      { userId: 'bob' },
    ]);
  });

  it('when a user id is not valid, then it exits 2 naming it', async () => {
    await expect(mintToken('bob smith')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('not a user id: bob smith'),
    });
  });
});
