import { describe, expect, it } from 'vitest';
import { ipLiteral, parseAllowList, refusedRange } from './destination-policy.ts';

const none = { allowedCidrs: [] };

describe('destination policy', () => {
  it('allows public addresses', () => {
    for (const ip of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111'])
      expect(refusedRange(ip, none)).toBe(null);
  });

  it('refuses private, loopback, link-local, metadata and other special ranges', () => {
    const cases: [string, string][] = [
      ['127.0.0.1', 'loopback'],
      ['10.1.2.3', 'private'],
      ['172.16.0.1', 'private'],
      ['192.168.1.1', 'private'],
      ['169.254.169.254', 'linkLocal'],
      ['0.0.0.0', 'unspecified'],
      ['100.64.0.1', 'carrierGradeNat'],
      ['::1', 'loopback'],
      ['fe80::1', 'linkLocal'],
      ['fd00::1', 'uniqueLocal'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:10.0.0.1', 'private'],
    ];
    for (const [ip, range] of cases) expect(refusedRange(ip, none), ip).toBe(range);
  });

  it('when an address is on the allow-list, then it is allowed, and only that range', () => {
    const policy = parseAllowList('127.0.0.0/8, ::1/128');
    if (!policy) throw new Error('allow-list did not parse');
    expect(refusedRange('127.0.0.1', policy)).toBe(null);
    expect(refusedRange('::1', policy)).toBe(null);
    expect(refusedRange('::ffff:127.0.0.1', policy)).toBe(null);
    expect(refusedRange('10.0.0.1', policy)).toBe('private');
  });

  it('refuses an allow-list that is not a list of CIDRs', () => {
    expect(parseAllowList('localhost')).toBe(undefined);
    expect(parseAllowList('10.0.0.0')).toBe(undefined);
    expect(parseAllowList('')).toEqual({ allowedCidrs: [] });
  });

  it('tells IP literals from host names', () => {
    expect(ipLiteral('127.0.0.1')).toBe('127.0.0.1');
    expect(ipLiteral('[::1]')).toBe('::1');
    expect(ipLiteral('example.com')).toBe(null);
    expect(ipLiteral('localhost')).toBe(null);
  });
});
