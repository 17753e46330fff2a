import { isIP } from 'node:net';
import { z } from 'zod';

// proxy-addr's (Fastify's) names for address ranges, accepted as well as addresses.
const rangeNames = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (rangeNames.has(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const prefix = Number(bits);
  return /^\d+$/.test(bits) && prefix <= (family === 4 ? 32 : 128);
}

/**
 * TRUSTED_PROXIES: the comma-separated addresses (or CIDR ranges) of the gateways whose
 * X-Forwarded-For/-Host/-Proto the service believes. Empty (the default) trusts nobody:
 * request.ip is then the peer's own address, whatever headers a client sends. Behind the
 * gateway, list the gateway's address only (127.0.0.1 locally, its fixed address in
 * docker-compose), never 0.0.0.0/0.
 */
export const trustedProxies = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .refine((entries) => entries.every(isAddressOrRange), {
    message:
      'TRUSTED_PROXIES must be comma-separated IP addresses or CIDR ranges of the gateway, e.g. 127.0.0.1 or 10.5.0.10/32',
  })
  .refine((entries) => !entries.some((entry) => /^(0\.0\.0\.0|::)\/0$/.test(entry)), {
    message: 'TRUSTED_PROXIES must not trust every address: list the gateway only',
  });
