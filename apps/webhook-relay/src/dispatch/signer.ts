import { Webhook } from 'standardwebhooks';
import type { SigningSecrets } from '../domain/model.ts';

/** Standard Webhooks headers of one POST (the library signs; no HMAC is written here). */
export function signedHeaders(
  deliveryId: string,
  body: string,
  secrets: SigningSecrets,
  now: Date,
): Record<string, string> {
  const keys = [secrets.secret];
  if (
    secrets.previousSecret &&
    secrets.previousSecretExpiresAt &&
    secrets.previousSecretExpiresAt.getTime() > now.getTime()
  )
    keys.push(secrets.previousSecret);
  // The spec's space-separated list: a receiver holding either secret verifies the POST.
  const signature = keys.map((key) => new Webhook(key).sign(deliveryId, now, body)).join(' ');
  return {
    'webhook-id': deliveryId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1_000)),
    'webhook-signature': signature,
  };
}
