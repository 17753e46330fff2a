// Shopper tokens for load runs, minted before the clock starts (signing costs more than a
// request); each token is a distinct user, handed out in turn.
export interface TokenPool {
  next(): string;
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
  for (let i = 0; i < size; i++) tokens.push(await mint(`${prefix}-${i}`));
  let used = 0;
  return {
    next: () => tokens[used++ % tokens.length] as string,
    get used() {
      return used;
    },
    size,
  };
}
