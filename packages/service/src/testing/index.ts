import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { mintShopperToken, type ShopperClaims } from '../security/mint.ts';

export interface TestShopperTokens {
  /** The settings a service under test needs to verify these tokens. */
  env: { JWT_PUBLIC_KEY: string; JWT_ISSUER: string; JWT_AUDIENCE: string; JWT_ALGORITHMS: string };
  privateKey: KeyObject;
  publicKeyPem: string;
  /** A valid token for `userId` (override any claim to make an invalid one). */
  mint(userId: string, overrides?: Partial<Omit<ShopperClaims, 'userId'>>): Promise<string>;
}

/**
 * A fresh key pair standing in for the identity provider of one test file: the service is
 * configured with its public key, the test mints tokens with its private key. RS256 by
 * default; ES256 too (benchmarks measure both: it signs faster and verifies slower).
 */
export function testShopperTokens(algorithm: 'RS256' | 'ES256' = 'RS256'): TestShopperTokens {
  const { privateKey, publicKey } =
    algorithm === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const env = {
    JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    JWT_ISSUER: 'https://id.test.example',
    JWT_AUDIENCE: 'commerce-test',
    JWT_ALGORITHMS: algorithm,
  };
  return {
    env,
    privateKey,
    publicKeyPem: env.JWT_PUBLIC_KEY,
    mint: (userId, overrides = {}) =>
      mintShopperToken(privateKey, {
        userId,
        issuer: env.JWT_ISSUER,
        audience: env.JWT_AUDIENCE,
        algorithm,
        ...overrides,
      }),
  };
}

/**
 * Tokens for `userId` that a service must refuse, by what is wrong with them: the attacks
 * the issue names (expired, wrong issuer, `none`, HS256 signed with the public key) and a
 * few more.
 */
export async function forgedTokens(idp: TestShopperTokens, userId: string) {
  const now = Math.floor(Date.now() / 1_000);
  const claims = <T extends SignJWT | UnsecuredJWT>(jwt: T): T =>
    jwt
      .setSubject(userId)
      .setIssuer(idp.env.JWT_ISSUER)
      .setAudience(idp.env.JWT_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 600) as T;
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return {
    expired: await idp.mint(userId, { expiresInSeconds: -3_600 }),
    wrongIssuer: await idp.mint(userId, { issuer: 'https://evil.example' }),
    wrongAudience: await idp.mint(userId, { audience: 'another-api' }),
    algNone: claims(new UnsecuredJWT({})).encode(),
    hs256WithPublicKey: await claims(new SignJWT({}).setProtectedHeader({ alg: 'HS256' })).sign(
      new TextEncoder().encode(idp.publicKeyPem),
    ),
    otherKey: await claims(new SignJWT({}).setProtectedHeader({ alg: 'RS256' })).sign(otherKey),
  };
}
export * from './hostile-headers.ts';
