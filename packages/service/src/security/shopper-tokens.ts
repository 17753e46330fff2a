import { KeyObject } from 'node:crypto';
import { type Algorithm, createVerifier, type DecodedJwt, TokenError } from 'fast-jwt';
import { createRemoteJWKSet } from 'jose';
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

/**
 * The verifying key of a token from the identity provider's JWKS: jose fetches the set once
 * and again on an unknown `kid`; fast-jwt takes the key as PEM.
 */
function jwksKeyFetcher(jwksUrl: string) {
  const jwks = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 2_000 });
  const pems = new WeakMap<object, string>();
  return async ({ header }: DecodedJwt): Promise<string> => {
    const key = await jwks({ alg: header.alg, kid: header.kid });
    let pem = pems.get(key);
    if (pem === undefined) {
      pem = KeyObject.from(key).export({ type: 'spki', format: 'pem' }).toString();
      pems.set(key, pem);
    }
    return pem;
  };
}

/**
 * The identity provider's keys could not be fetched (no answer in time, an unreadable set):
 * the token may well be valid, so the caller gets 503 DEPENDENCY_UNAVAILABLE (the HTTP shell
 * reads `retriable`) and tries again, rather than a 401 that says to sign in again.
 */
export class ShopperKeysUnavailable extends Error {
  override readonly name = 'ShopperKeysUnavailable';
  readonly retriable = true;
}

/** jose's codes for a key set that answered but has no single key for the token. */
const NOT_IN_THE_SET = new Set(['ERR_JWKS_NO_MATCHING_KEY', 'ERR_JWKS_MULTIPLE_MATCHING_KEYS']);

/**
 * What a fast-jwt failure tells the caller: TOKEN_INVALID with fast-jwt's code (without its
 * prefix) as `details.reason`, UNKNOWN_KEY for a `kid` the set lacks, or, when the keys
 * could not be fetched, ShopperKeysUnavailable.
 */
function refusal(err: TokenError): Error {
  if (err.code === TokenError.codes.keyFetchingError) {
    const cause = (err as { originalError?: { code?: unknown } }).originalError;
    if (!NOT_IN_THE_SET.has(String(cause?.code)))
      return new ShopperKeysUnavailable("the identity provider's keys could not be fetched", {
        cause,
      });
    return invalid('UNKNOWN_KEY', "the token's key is not one the identity provider publishes");
  }
  const reason = err.code.replace(/^FAST_JWT_/, '');
  if (err.code === TokenError.codes.expired) return invalid(reason, 'the token has expired');
  return invalid(reason, 'the token does not verify');
}

/**
 * Verifies shopper tokens with fast-jwt (node:crypto, synchronous for a PEM key: jose's
 * WebCrypto verify cost about a quarter of the sold-out path's CPU, docs/benchmarks.md):
 * only the allowed asymmetric algorithms (so `none`, and HS256 signed with the public key as
 * its secret, never pass), the configured issuer and audience, `exp` required, clock skew
 * bounded, and a subject that is a valid user id.
 */
export function createShopperTokenVerifier(settings: ShopperTokenSettings): ShopperTokenVerifier {
  const options = {
    algorithms: [...settings.algorithms] as Algorithm[],
    allowedIss: settings.issuer,
    allowedAud: settings.audience,
    clockTolerance: settings.clockSkewSeconds * 1_000,
    requiredClaims: ['exp', 'sub'],
  };
  const verifyJwt: (token: string) => { sub?: unknown } | Promise<{ sub?: unknown }> =
    'jwksUrl' in settings.keys
      ? createVerifier({ ...options, key: jwksKeyFetcher(settings.keys.jwksUrl) })
      : createVerifier({ ...options, key: settings.keys.publicKeyPem });
  return {
    async verify(token) {
      if (token.length > MAX_TOKEN_LENGTH) throw invalid('TOO_LONG', 'the token is too long');
      try {
        const { sub } = await verifyJwt(token);
        if (typeof sub !== 'string' || !shopperIdPattern.test(sub))
          throw invalid('BAD_SUBJECT', "the token's subject is not a valid user id");
        return { userId: sub };
      } catch (err) {
        throw err instanceof TokenError ? refusal(err) : err;
      }
    },
  };
}
