import { lookup } from 'node:dns/promises';
import { DomainError } from '@commerce/service';
import type { DestinationCheck } from '../domain/destination.ts';
import { type DestinationPolicy, ipLiteral, refusedRange } from '../domain/destination-policy.ts';

/** The check at creation (and URL change): scheme, then the literal or every resolved address. */
export function createDestinationCheck(policy: DestinationPolicy): DestinationCheck {
  return async (text) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new DomainError('INVALID_URL', 'url must be an absolute http(s) URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new DomainError(
        'INVALID_URL',
        `url must be http or https, not ${url.protocol.slice(0, -1)}`,
      );
    if (url.username || url.password)
      throw new DomainError('INVALID_URL', 'url must not carry credentials');
    const literal = ipLiteral(url.hostname);
    let addresses: string[];
    if (literal) addresses = [literal];
    else {
      try {
        addresses = (await lookup(url.hostname, { all: true })).map((a) => a.address);
      } catch {
        throw new DomainError('DESTINATION_UNRESOLVABLE', `${url.hostname} does not resolve`);
      }
    }
    for (const address of addresses) {
      const range = refusedRange(address, policy);
      if (range !== null)
        throw new DomainError(
          'DESTINATION_FORBIDDEN',
          `${url.hostname} is ${literal ? '' : `resolved to ${address}, `}a ${range} address; webhooks may only reach public addresses (or the configured allow-list)`,
          { host: url.hostname, address, range },
        );
    }
  };
}
