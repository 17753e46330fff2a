// Shopper tokens for load runs, minted before the clock starts (signing costs more than a
// request); each token is a distinct user, handed out in turn.

/**
 * BENCH_TOKEN_ALGORITHM: how the bench's identity provider signs. RS256 by default, as the
 * services expect by default (JWT_ALGORITHMS); ES256 verifies at about twice RS256's CPU.
 */
export function benchTokenAlgorithm(): 'RS256' | 'ES256' {
  const algorithm = process.env.BENCH_TOKEN_ALGORITHM ?? 'RS256';
  if (algorithm !== 'RS256' && algorithm !== 'ES256')
    throw new Error(`BENCH_TOKEN_ALGORITHM is RS256 or ES256, not ${algorithm}`);
  return algorithm;
}

/** Tokens signed at once: jose signs on libuv's thread pool, so a batch uses every core. */
const MINT_BATCH = 128;

export interface TokenPool {
  next(): string;
  /** Mints more before a run, so that at least `count` tokens are still unused. */
  reserve(count: number): Promise<void>;
  /** How many were handed out; more than the pool's size means users repeated. */
  readonly used: number;
  readonly size: number;
}

export async function tokenPool(
  mint: (userId: string) => Promise<string>,
  prefix: string,
  size: number,
): Promise<TokenPool> {
  const tokens: string[] = [];
  let used = 0;
  const pool: TokenPool = {
    next: () => tokens[used++ % tokens.length] as string,
    async reserve(count) {
      while (tokens.length - used < count) {
        const batch = Math.min(MINT_BATCH, count - (tokens.length - used));
        const first = tokens.length;
        tokens.push(
          ...(await Promise.all(
            Array.from({ length: batch }, (_, i) => mint(`${prefix}-${first + i}`)),
          )),
        );
      }
    },
    get used() {
      return used;
    },
    get size() {
      return tokens.length;
    },
  };
  await pool.reserve(size);
  return pool;
}
