import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { trustedProxies } from '../http/trusted-proxies.ts';

/** Signature algorithms a shopper token may use: asymmetric only, so no service can mint one. */
export const asymmetricAlgorithms = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

const commaList = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

function isPublicKeyPem(pem: string): boolean {
  try {
    return createPublicKey(pem).type === 'public';
  } catch {
    return false;
  }
}

/** An empty value counts as unset (compose files pass `${VAR:-}` through as ""). */
const unsetIfEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema);

/**
 * How shopper tokens (JWT) are verified. The keys come from the identity provider's JWKS
 * URL or from one public key; exactly one of the two must be set (see `shopperKeySource`).
 */
export const shopperTokenEnv = {
  /** The identity provider's published keys, e.g. https://id.example.com/.well-known/jwks.json. */
  JWT_JWKS_URL: unsetIfEmpty(
    z.url({ protocol: /^https?$/, error: 'JWT_JWKS_URL must be an http(s) URL' }).optional(),
  ),
  /** Or one public key as PEM (SPKI); `\n` escapes are read as line breaks. */
  JWT_PUBLIC_KEY: unsetIfEmpty(
    z
      .string()
      .transform((pem) => pem.replaceAll('\\n', '\n'))
      .refine(
        isPublicKeyPem,
        'JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----)',
      )
      .optional(),
  ),
  /** The `iss` every token must carry. */
  JWT_ISSUER: z.string({ error: 'set JWT_ISSUER to the issuer (iss) of shopper tokens' }).min(1),
  /** The `aud` every token must name. */
  JWT_AUDIENCE: z
    .string({ error: 'set JWT_AUDIENCE to the audience (aud) shopper tokens name' })
    .min(1),
  /** Algorithms accepted, comma-separated; `none` and the HMAC family are never accepted. */
  JWT_ALGORITHMS: z
    .string()
    .default('RS256')
    .transform(commaList)
    .pipe(
      z
        .array(
          z.enum(asymmetricAlgorithms, {
            error: `JWT_ALGORITHMS may list only ${asymmetricAlgorithms.join(', ')}`,
          }),
        )
        .min(1, 'JWT_ALGORITHMS needs at least one algorithm'),
    ),
  /** Clock difference tolerated on exp/nbf/iat, in seconds. */
  JWT_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
};

/** Per-user and per-address request budgets of the public endpoints (shared through Redis). */
export const rateLimitEnv = {
  /** The window the budgets below count in. */
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(100).max(3_600_000).default(1_000),
  /** Requests one shopper may send per window, all public routes together. */
  RATE_LIMIT_PER_USER: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /** Requests one client address may send per window (a NAT may hold many shoppers). */
  RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000_000).default(300),
  /** Prefix of the counters in Redis; tests sharing a Redis set their own. */
  RATE_LIMIT_NAMESPACE: z.string().min(1).max(100).default('rate-limit'),
};

/** When the process sheds requests with 503 instead of degrading (0 turns a check off). */
export const overloadEnv = {
  /** Mean event-loop delay, sampled every second. */
  OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  /** Heap in use; keep it well under the V8 heap limit so the process never runs out. */
  OVERLOAD_MAX_HEAP_USED_MB: z.coerce.number().int().min(0).max(65_536).default(1_536),
  /** Writes (POST...) in progress at most; past it a write is shed at once (0: no bound). */
  OVERLOAD_MAX_WRITES_IN_FLIGHT: z.coerce.number().int().min(0).max(100_000).default(256),
  /** The Retry-After of a shed request. */
  OVERLOAD_RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(600).default(5),
};

/** The gateway's address(es) whose X-Forwarded-* are believed (see trusted-proxies.ts). */
export const trustedProxiesEnv = { TRUSTED_PROXIES: trustedProxies };

/** Everything a public API adds to its environment. */
export const publicApiEnv = {
  ...shopperTokenEnv,
  ...rateLimitEnv,
  ...overloadEnv,
  ...trustedProxiesEnv,
};

/** The superRefine of a schema holding `shopperTokenEnv`: exactly one key source. */
export function shopperKeySource(
  value: { JWT_JWKS_URL?: string | undefined; JWT_PUBLIC_KEY?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if ((value.JWT_JWKS_URL === undefined) === (value.JWT_PUBLIC_KEY === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['JWT_JWKS_URL'],
      message:
        'set exactly one of JWT_JWKS_URL (the identity provider keys) or JWT_PUBLIC_KEY (a PEM public key)',
    });
  }
}
