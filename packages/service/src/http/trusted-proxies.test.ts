import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../config.ts';
import { createHttpShell } from './app.ts';
import { trustedProxies } from './trusted-proxies.ts';

const schema = z.object({ TRUSTED_PROXIES: trustedProxies });

async function shellSeenFrom(trusted: string[] | undefined) {
  const app = await createHttpShell({
    service: 'test-api',
    logger: pino({ level: 'silent' }),
    ...(trusted ? { trustedProxies: trusted } : {}),
  });
  app.get('/whoami', async (request) => ({
    ip: request.ip,
    host: request.host,
    protocol: request.protocol,
  }));
  return (remoteAddress: string) =>
    app
      .inject({
        method: 'GET',
        url: '/whoami',
        remoteAddress,
        headers: {
          host: 'service.internal',
          'x-forwarded-for': '203.0.113.7',
          'x-forwarded-host': 'shop.example',
          'x-forwarded-proto': 'https',
        },
      })
      .then((res) => res.json());
}

describe('TRUSTED_PROXIES', () => {
  it('reads a comma-separated list of addresses and ranges; empty trusts nobody', () => {
    expect(loadConfig(schema, {}).TRUSTED_PROXIES).toEqual([]);
    expect(
      loadConfig(schema, { TRUSTED_PROXIES: ' 127.0.0.1, 10.5.0.0/24,::1 ,loopback' }),
    ).toEqual({ TRUSTED_PROXIES: ['127.0.0.1', '10.5.0.0/24', '::1', 'loopback'] });
  });

  it('refuses what is not an address and a range that trusts everyone, saying what to set', () => {
    for (const bad of ['gateway', '10.0.0.1/33', '10.0.0.1/8/1', '0.0.0.0/0', '::/0'])
      expect(() => loadConfig(schema, { TRUSTED_PROXIES: bad }), bad).toThrow(/TRUSTED_PROXIES/);
  });

  it('when a request comes from the trusted gateway, then its X-Forwarded-* are believed', async () => {
    const from = await shellSeenFrom(['10.5.0.10']);
    expect(await from('10.5.0.10')).toEqual({
      ip: '203.0.113.7',
      host: 'shop.example',
      protocol: 'https',
    });
  });

  it('when a request comes from any other address, then its X-Forwarded-* are ignored', async () => {
    const from = await shellSeenFrom(['10.5.0.10']);
    expect(await from('10.5.0.99')).toEqual({
      ip: '10.5.0.99',
      host: 'service.internal',
      protocol: 'http',
    });
  });

  it('when no proxy is configured, then nobody can choose its own address', async () => {
    const from = await shellSeenFrom(undefined);
    expect((await from('127.0.0.1')).ip).toBe('127.0.0.1');
  });
});
