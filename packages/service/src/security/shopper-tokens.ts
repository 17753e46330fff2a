import { createPublicKey } from 'node:crypto';
import { createRemoteJWKSet, errors, type JWTVerifyOptions, jwtVerify } from 'jose';
import { DomainError } from '../errors.ts';
import type { asymmetricAlgorithms } from './settings.ts';

/** The shopper a verified token speaks for. */
export interface Shopper {
  userId: string;
}

export interface ShopperTokenSettings {
  /** The identity provider's JWKS URL, or one PEM public key. */
  keys: { jwksUrl: string } | { publicKeyPem: string };
  issuer: string;
  audience: string;
  algorithms: readonly (typeof asymmetricAlgorithms)[number][];
  clockSkewSeconds: number;
}

export interface ShopperTokenVerifier {
  /** The token's shopper; throws DomainError TOKEN_INVALID when it does not verify. */
  verify(token: string): Promise<Shopper>;
}

/** User ids a token's `sub` may hold: the ids the APIs store, log and use as Kafka keys. */
export const shopperIdPattern = /^[A-Za-z0-9_.:-]{1,64}$/;

/** A bearer token longer than this is refused unread (no header can make us parse megabytes). */
const MAX_TOKEN_LENGTH = 4_096;

const invalid = (reason: string, message: string) =>
  new DomainError('TOKEN_INVALID', message, { reason });

/** Settings from a configuration that holds `shopperTokenEnv`. */
export function shopperTokenSettings(config: {
  JWT_JWKS_URL?: string | undefined;
  JWT_PUBLIC_KEY?: string | undefined;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  JWT_ALGORITHMS: ShopperTokenSettings['algorithms'];
  JWT_CLOCK_SKEW_SECONDS: number;
}): ShopperTokenSettings {
  return {
    keys: config.JWT_JWKS_URL
      ? { jwksUrl: config.JWT_JWKS_URL }
      : { publicKeyPem: config.JWT_PUBLIC_KEY ?? '' },
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    algorithms: config.JWT_ALGORITHMS,
    clockSkewSeconds: config.JWT_CLOCK_SKEW_SECONDS,
  };
}

/** jwtVerify bound to the configured keys: the JWKS (fetched once, refreshed on unknown kid) or the PEM key. */
function keyedVerify(settings: ShopperTokenSettings, options: JWTVerifyOptions) {
  if ('jwksUrl' in settings.keys) {
    const jwks = createRemoteJWKSet(new URL(settings.keys.jwksUrl), { timeoutDuration: 2_000 });
    return (token: string) => jwtVerify(token, jwks, options);
  }
  const key = createPublicKey(settings.keys.publicKeyPem);
  return (token: string) => jwtVerify(token, key, options);
}

/**
 * Verifies shopper tokens with jose: only the allowed asymmetric algorithms (so `none`,
 * and HS256 signed with the public key as its secret, never pass), the configured issuer
 * and audience, `exp` required, clock skew bounded, and a subject that is a valid user id.
 */
export function createShopperTokenVerifier(settings: ShopperTokenSettings): ShopperTokenVerifier {
  const options: JWTVerifyOptions = {
    algorithms: [...settings.algorithms],
    issuer: settings.issuer,
    audience: settings.audience,
    clockTolerance: settings.clockSkewSeconds,
    requiredClaims: ['exp', 'sub'],
  };
  const verifyJwt = keyedVerify(settings, options);
  return {
    async verify(token) {
      if (token.length > MAX_TOKEN_LENGTH) throw invalid('TOO_LONG', 'the token is too long');
      try {
        const { payload } = await verifyJwt(token);
        if (!payload.sub || !shopperIdPattern.test(payload.sub))
          throw invalid('BAD_SUBJECT', "the token's subject is not a valid user id");
        return { userId: payload.sub };
      } catch (err) {
        if (err instanceof DomainError) throw err;
        if (err instanceof errors.JWTExpired) throw invalid(err.code, 'the token has expired');
        if (err instanceof errors.JOSEError) throw invalid(err.code, 'the token does not verify');
        throw err;
      }
    },
  };
}
