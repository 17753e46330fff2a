import ipaddr from 'ipaddr.js';

/**
 * Which addresses a webhook may be POSTed to (SSRF): public unicast only, unless the
 * address is inside a configured allow-list (CIDRs). Private, loopback, link-local (the
 * cloud metadata address 169.254.169.254 among them), unique-local, CGNAT, multicast and
 * reserved ranges are refused. IPv4-mapped IPv6 addresses are judged as the IPv4 they carry.
 */
export interface DestinationPolicy {
  allowedCidrs: readonly [ipaddr.IPv4 | ipaddr.IPv6, number][];
}

export function parseAllowList(text: string): DestinationPolicy | undefined {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  try {
    return { allowedCidrs: parts.map((part) => normaliseCidr(ipaddr.parseCIDR(part))) };
  } catch {
    return undefined;
  }
}

function normaliseCidr([address, bits]: [ipaddr.IPv4 | ipaddr.IPv6, number]): [
  ipaddr.IPv4 | ipaddr.IPv6,
  number,
] {
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress())
    return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96];
  return [address, bits];
}

/** Why `ip` is refused (its range name), or null when a webhook may go there. */
export function refusedRange(ip: string, policy: DestinationPolicy): string | null {
  if (!ipaddr.isValid(ip)) return 'invalid';
  const address = ipaddr.process(ip);
  const allowed = policy.allowedCidrs.some(
    ([network, bits]) => network.kind() === address.kind() && address.match(network, bits),
  );
  if (allowed) return null;
  const range = address.range();
  return range === 'unicast' ? null : range;
}

/** The host of a URL as an IP literal (IPv6 without brackets), or null when it is a name. */
export function ipLiteral(hostname: string): string | null {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  return ipaddr.isValid(bare) && (bare.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(bare))
    ? bare
    : null;
}
