import { type LookupAddress, lookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { type DestinationPolicy, refusedRange } from '../domain/destination-policy.ts';

/** The error a refused destination fails the connection with (its code shows in the attempt). */
export class ForbiddenDestinationError extends Error {
  override readonly name = 'ForbiddenDestinationError';
  readonly code = 'DESTINATION_FORBIDDEN';
}

/**
 * A DNS lookup for the HTTP client's connections that refuses forbidden addresses. The
 * socket connects to the address checked here, so a name that resolves to a public
 * address at creation and to 127.0.0.1 later (DNS rebinding) is refused at delivery.
 */
export function guardedLookup(policy: DestinationPolicy): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 4);
      const refused = addresses
        .map((a) => ({ address: a.address, range: refusedRange(a.address, policy) }))
        .find((a) => a.range !== null);
      if (refused || addresses.length === 0)
        return callback(
          new ForbiddenDestinationError(
            refused
              ? `${hostname} resolves to ${refused.address} (${refused.range}), which webhooks may not reach`
              : `${hostname} resolves to no address`,
          ),
          '',
          4,
        );
      if (options.all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0] as LookupAddress;
      return callback(null, first.address, first.family);
    });
  };
}
