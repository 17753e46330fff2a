import { randomBytes } from 'node:crypto';

/**
 * A new signing secret in the Standard Webhooks form: `whsec_` and 32 random bytes in
 * base64 (the standardwebhooks library takes it as is).
 */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
