import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mintShopperToken, type ShopperClaims } from '../security/mint.ts';

export interface TestShopperTokens {
  /** The settings a service under test needs to verify these tokens. */
  env: { JWT_PUBLIC_KEY: string; JWT_ISSUER: string; JWT_AUDIENCE: string };
  privateKey: KeyObject;
  publicKeyPem: string;
  /** A valid token for `userId` (override any claim to make an invalid one). */
  mint(userId: string, overrides?: Partial<Omit<ShopperClaims, 'userId'>>): Promise<string>;
}

/**
 * A fresh RSA key pair standing in for the identity provider of one test file: the
 * service is configured with its public key, the test mints tokens with its private key.
 */
export function testShopperTokens(): TestShopperTokens {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const env = {
    JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    JWT_ISSUER: 'https://id.test.example',
    JWT_AUDIENCE: 'commerce-test',
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
        ...overrides,
      }),
  };
}
