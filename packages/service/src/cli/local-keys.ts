import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The identity the local stack's services trust (infra/local/apps.sh reads it from here). */
export const localIssuer = 'commerce-local';
export const localAudience = 'commerce-api';

export interface LocalKeys {
  privateKey: KeyObject;
  publicKeyPem: string;
}

/**
 * The local stack's token key pair, kept in `<dir>/jwt` (the git-ignored stack folder) and
 * made on first use: every clone has its own, so no signing secret is ever shared.
 */
export function loadOrCreateLocalKeys(dir: string): LocalKeys {
  const folder = join(dir, 'jwt');
  const privatePath = join(folder, 'private.pem');
  if (!existsSync(privatePath)) {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    // wx: two first uses at once must not overwrite each other's key.
    try {
      writeFileSync(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
        mode: 0o600,
        flag: 'wx',
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const privateKey = createPrivateKey(readFileSync(privatePath));
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' });
  return { privateKey, publicKeyPem: publicKeyPem.toString() };
}
