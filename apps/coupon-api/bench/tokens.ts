// Shopper tokens for load runs, minted before the clock starts (signing costs more than a
// request); each token is a distinct user, handed out in turn.
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
      while (tokens.length - used < count) tokens.push(await mint(`${prefix}-${tokens.length}`));
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
