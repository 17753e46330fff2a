import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { testShopperTokens } from '../testing/index.ts';
import { isTransientFailure } from '../transient-failures.ts';
import { createShopperTokenVerifier, ShopperKeysUnavailable } from './shopper-tokens.ts';

const idp = testShopperTokens();
const verifier = createShopperTokenVerifier({
  keys: { publicKeyPem: idp.publicKeyPem },
  issuer: idp.env.JWT_ISSUER,
  audience: idp.env.JWT_AUDIENCE,
  algorithms: ['RS256'],
  clockSkewSeconds: 30,
});

async function refusal(token: string) {
  try {
    await verifier.verify(token);
  } catch (err) {
    return err as { code: string; details: { reason: string } };
  }
  throw new Error('the token was accepted');
}

const claims = <T extends SignJWT | UnsecuredJWT>(jwt: T, expiresIn = 600): T =>
  jwt
    .setSubject('alice')
    .setIssuer(idp.env.JWT_ISSUER)
    .setAudience(idp.env.JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1_000) + expiresIn) as T;

describe('shopper tokens', () => {
  it('when the token is signed by the identity provider, then its subject is the shopper', async () => {
    expect(await verifier.verify(await idp.mint('alice'))).toEqual({ userId: 'alice' });
  });

  it('when a token expired beyond the clock skew, then TOKEN_INVALID; within the skew, accepted', async () => {
    const expired = await refusal(await idp.mint('alice', { expiresInSeconds: -31 }));
    expect(expired).toMatchObject({
      code: 'TOKEN_INVALID',
      details: { reason: 'EXPIRED' },
    });
    expect(await verifier.verify(await idp.mint('alice', { expiresInSeconds: -5 }))).toEqual({
      userId: 'alice',
    });
  });

  it.each([
    ['issuer', { issuer: 'https://evil.example' }],
    ['audience', { audience: 'another-api' }],
  ])('when the %s is wrong, then TOKEN_INVALID', async (_, override) => {
    const err = await refusal(await idp.mint('alice', override));
    expect(err).toMatchObject({
      code: 'TOKEN_INVALID',
      details: { reason: 'INVALID_CLAIM_VALUE' },
    });
  });

  it('when the token is unsigned (alg none), then TOKEN_INVALID', async () => {
    const token = claims(new UnsecuredJWT({})).encode();
    expect(await refusal(token)).toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('when the token is HS256 signed with the public key as its secret, then TOKEN_INVALID', async () => {
    const token = await claims(new SignJWT({}).setProtectedHeader({ alg: 'HS256' })).sign(
      new TextEncoder().encode(idp.publicKeyPem),
    );
    expect(await refusal(token)).toMatchObject({
      code: 'TOKEN_INVALID',
      details: { reason: 'INVALID_ALGORITHM' },
    });
  });

  it('when the token is signed by another key, malformed, huge, or has a bad subject, then TOKEN_INVALID', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged = await claims(new SignJWT({}).setProtectedHeader({ alg: 'RS256' })).sign(other);
    const noExpiry = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('alice')
      .setIssuer(idp.env.JWT_ISSUER)
      .setAudience(idp.env.JWT_AUDIENCE)
      .sign(idp.privateKey);
    for (const token of [
      forged,
      noExpiry,
      'not.a.jwt',
      'x'.repeat(5_000),
      await idp.mint('bob smith'),
      await idp.mint('x'.repeat(65)),
    ]) {
      expect(await refusal(token)).toMatchObject({ code: 'TOKEN_INVALID' });
    }
  });
});

describe('shopper tokens from a JWKS', async () => {
  // The identity provider's published keys, served over HTTP as a provider would.
  const publicKey = createPublicKey(idp.publicKeyPem);
  const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
  let fetches = 0;
  const provider = createServer((_, res) => {
    fetches++;
    res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  afterAll(() => new Promise((resolve) => provider.close(resolve)));
  const keysAt = (url: string) =>
    createShopperTokenVerifier({
      keys: { jwksUrl: url },
      issuer: idp.env.JWT_ISSUER,
      audience: idp.env.JWT_AUDIENCE,
      algorithms: ['RS256'],
      clockSkewSeconds: 30,
    });
  const jwksUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/jwks.json`;
  const withKid = (kid: string) =>
    claims(new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid })).sign(idp.privateKey);

  it('when the token names a key of the set, then it verifies, and the set is fetched once', async () => {
    const verifier = keysAt(jwksUrl);
    for (let i = 0; i < 3; i++)
      expect(await verifier.verify(await withKid('key-1'))).toEqual({ userId: 'alice' });
    expect(fetches).toBe(1);
  });

  it('when the key is not in the set, then TOKEN_INVALID UNKNOWN_KEY', async () => {
    await expect(keysAt(jwksUrl).verify(await withKid('key-2'))).rejects.toMatchObject({
      code: 'TOKEN_INVALID',
      details: { reason: 'UNKNOWN_KEY' },
    });
  });

  it('when the provider does not answer, then a retriable failure (503), not a refusal', async () => {
    const failure = await keysAt('http://127.0.0.1:1/jwks.json')
      .verify(await withKid('key-1'))
      .catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ShopperKeysUnavailable);
    expect(isTransientFailure(failure)).toBe(true);
  });
});
