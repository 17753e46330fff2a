import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig, operatorApiKey } from '../config.ts';
import { testShopperTokens } from '../testing/index.ts';
import { publicApiEnv, shopperKeySource } from './settings.ts';

const schema = z
  .object({ ...publicApiEnv, OPERATOR_API_KEY: operatorApiKey.optional() })
  .superRefine(shopperKeySource);
const { env: jwt } = testShopperTokens();

describe('security settings', () => {
  it('reads the token, rate-limit, overload and proxy settings, with defaults', () => {
    const config = loadConfig(schema, { ...jwt, TRUSTED_PROXIES: '10.0.0.2, 172.18.0.0/16' });
    expect(config).toMatchObject({
      JWT_ALGORITHMS: ['RS256'],
      JWT_CLOCK_SKEW_SECONDS: 30,
      RATE_LIMIT_PER_USER: 20,
      OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: 1_000,
      TRUSTED_PROXIES: ['10.0.0.2', '172.18.0.0/16'],
    });
    expect(config.JWT_PUBLIC_KEY).toContain('BEGIN PUBLIC KEY');
  });

  it('when no key source, both, a bad key, a symmetric or unknown algorithm, or a bad proxy is given, then it names each', () => {
    const run = (env: Record<string, string>) => () => loadConfig(schema, env);
    const { JWT_PUBLIC_KEY: _, ...noKey } = jwt;
    expect(run(noKey)).toThrow(/JWT_JWKS_URL: set exactly one of/);
    expect(run({ ...jwt, JWT_JWKS_URL: 'https://id.example/jwks.json' })).toThrow(/exactly one/);
    expect(run({ ...jwt, JWT_PUBLIC_KEY: 'secret' })).toThrow(/JWT_PUBLIC_KEY: .*must be a PEM/);
    expect(run({ ...jwt, JWT_ALGORITHMS: 'RS256,HS256' })).toThrow(/JWT_ALGORITHMS.*may list only/);
    expect(run({ ...jwt, JWT_ALGORITHMS: 'none' })).toThrow(/may list only/);
    expect(run({ ...jwt, TRUSTED_PROXIES: 'gateway' })).toThrow(
      /TRUSTED_PROXIES must be comma-separated IP addresses/,
    );
  });

  it('when a key source is set but empty (compose passes an unset variable as ""), then it counts as unset', () => {
    const config = loadConfig(schema, { ...jwt, JWT_JWKS_URL: '' });
    expect(config.JWT_JWKS_URL).toBeUndefined();
    expect(() => loadConfig(schema, { ...jwt, JWT_PUBLIC_KEY: '' })).toThrow(/exactly one/);
  });

  it('reads a public key whose line breaks are written as \\n (compose files, .env)', () => {
    const escaped = jwt.JWT_PUBLIC_KEY.replaceAll('\n', '\\n');
    expect(loadConfig(schema, { ...jwt, JWT_PUBLIC_KEY: escaped }).JWT_PUBLIC_KEY).toBe(
      jwt.JWT_PUBLIC_KEY,
    );
  });

  it('when production starts with the default or a short operator key, then it refuses with a clear message', () => {
    const production = (OPERATOR_API_KEY: string) => () =>
      loadConfig(schema, { ...jwt, NODE_ENV: 'production', OPERATOR_API_KEY });
    expect(production('local-operator-key-change-me')).toThrow(
      /OPERATOR_API_KEY: refusing to start in production with a published default key/,
    );
    expect(production('sixteen-chars-ok!')).toThrow(/key of 17 characters; use at least 32/);
    expect(production('a'.repeat(32))().OPERATOR_API_KEY).toBe('a'.repeat(32));
    // Outside production the local key is fine.
    expect(
      loadConfig(schema, { ...jwt, OPERATOR_API_KEY: 'local-operator-key-change-me' })
        .OPERATOR_API_KEY,
    ).toBe('local-operator-key-change-me');
  });
});
