import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { testShopperTokens } from '../testing/index.ts';
import { createShopperTokenVerifier } from './shopper-tokens.ts';

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
      details: { reason: 'ERR_JWT_EXPIRED' },
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
      details: { reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED' },
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
      details: { reason: 'ERR_JOSE_ALG_NOT_ALLOWED' },
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
