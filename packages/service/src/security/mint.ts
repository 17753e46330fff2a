import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';

export interface ShopperClaims {
  userId: string;
  issuer: string;
  audience: string;
  /** Lifetime from now; negative gives an already expired token (tests). */
  expiresInSeconds?: number;
  /** Defaults to RS256 (the key must fit the algorithm). */
  algorithm?: string;
}

/** Signs a shopper token as an identity provider would: sub, iss, aud, iat, exp. */
export function mintShopperToken(privateKey: KeyObject, claims: ShopperClaims): Promise<string> {
  const now = Math.floor(Date.now() / 1_000);
  return new SignJWT({})
    .setProtectedHeader({ alg: claims.algorithm ?? 'RS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + (claims.expiresInSeconds ?? 3_600))
    .sign(privateKey);
}
