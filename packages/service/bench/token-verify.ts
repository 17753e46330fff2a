// Shopper token verification, the first cost of every shopper request: the services' verifier
// (createShopperTokenVerifier, fast-jwt on node:crypto) against jose's jwtVerify (WebCrypto)
// with the same checks, for RS256 (the default) and ES256. Interleaved rounds in this process,
// 64 verifications in flight as on a busy server; the CPU per verification counts every
// thread (WebCrypto runs part of its work on libuv's pool). Usage:
//   pnpm --filter @commerce/service bench
// BENCH_TOKENS (4000) changes the tokens per round.
import { createPublicKey } from 'node:crypto';
import { loadavg } from 'node:os';
import { median, writeBenchResults } from '@commerce/testing';
import { jwtVerify } from 'jose';
import { createShopperTokenVerifier } from '../src/security/shopper-tokens.ts';
import { testShopperTokens } from '../src/testing/index.ts';

const TOKENS = Number(process.env.BENCH_TOKENS ?? 4_000);
const ROUNDS = 5;
const IN_FLIGHT = 64;

type Verify = (token: string) => Promise<unknown>;
interface Run {
  perSec: number;
  cpuMs: number;
}

/** Verifications per second and CPU ms per verification, over every token once. */
async function timed(tokens: readonly string[], verify: Verify): Promise<Run> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < tokens.length; i += IN_FLIGHT)
    await Promise.all(tokens.slice(i, i + IN_FLIGHT).map(verify));
  const seconds = (performance.now() - started) / 1_000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    perSec: tokens.length / seconds,
    cpuMs: (cpu.user + cpu.system) / 1_000 / tokens.length,
  };
}

const figures = [];
for (const algorithm of ['RS256', 'ES256'] as const) {
  const idp = testShopperTokens(algorithm);
  const tokens = await Promise.all(
    Array.from({ length: TOKENS }, (_, i) => idp.mint(`bench-${i}`)),
  );
  const ours = createShopperTokenVerifier({
    keys: { publicKeyPem: idp.publicKeyPem },
    issuer: idp.env.JWT_ISSUER,
    audience: idp.env.JWT_AUDIENCE,
    algorithms: [algorithm],
    clockSkewSeconds: 30,
  });
  const key = createPublicKey(idp.publicKeyPem);
  const options = {
    algorithms: [algorithm],
    issuer: idp.env.JWT_ISSUER,
    audience: idp.env.JWT_AUDIENCE,
    clockTolerance: 30,
    requiredClaims: ['exp', 'sub'],
  };
  const sides: Record<'ours' | 'jose', Verify> = {
    ours: (token) => ours.verify(token),
    jose: (token) => jwtVerify(token, key, options),
  };
  for (const verify of Object.values(sides)) await timed(tokens.slice(0, 500), verify); // JIT
  const runs: Record<'ours' | 'jose', Run[]> = { ours: [], jose: [] };
  for (let round = 0; round < ROUNDS; round++)
    for (const side of ['ours', 'jose'] as const) runs[side].push(await timed(tokens, sides[side]));
  const rate = (side: 'ours' | 'jose') => median(runs[side].map((r) => r.perSec));
  const cpu = (side: 'ours' | 'jose') => median(runs[side].map((r) => r.cpuMs));
  console.log(
    `RESULT ${algorithm}: ours ${Math.round(rate('ours'))}/s (${cpu('ours').toFixed(3)} ms CPU each), ` +
      `jose ${Math.round(rate('jose'))}/s (${cpu('jose').toFixed(3)} ms CPU each), ` +
      `CPU ratio jose ÷ ours ${(cpu('jose') / cpu('ours')).toFixed(2)}; load ${loadavg()[0]?.toFixed(1)}`,
  );
  figures.push(
    {
      component: 'shopper tokens',
      metric: `${algorithm} verifications/s, ${TOKENS} tokens, ${IN_FLIGHT} in flight`,
      kind: 'throughput' as const,
      unit: 'verifications/s',
      value: rate('ours'),
      anchor: { name: 'jose jwtVerify', value: rate('jose') },
    },
    {
      component: 'shopper tokens',
      metric: `${algorithm} CPU per verification`,
      kind: 'other' as const,
      unit: 'ms',
      value: cpu('ours'),
      anchor: { name: 'jose jwtVerify', value: cpu('jose') },
    },
  );
}
writeBenchResults(figures);
