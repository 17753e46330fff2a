import type { IdempotencyTx } from '../domain/idempotency.ts';
import type { Prisma } from '../generated/prisma/client.ts';

/** Idempotency keys inside a Prisma transaction (see domain/idempotency.ts for the rules). */
export function idempotencyKeys(tx: Prisma.TransactionClient): IdempotencyTx {
  return {
    async claimIdempotencyKey(scope) {
      // A new key inserts (1 row affected). An existing one is updated instead (2 affected):
      // that waits for a transaction still holding it, so the stored response read next is
      // the committed one, and a concurrent twin never runs the work a second time.
      const affected = await tx.$executeRaw`
        INSERT INTO idempotency_keys (route, idempotency_key, fingerprint)
        VALUES (${scope.route}, ${scope.key}, ${scope.fingerprint})
        ON DUPLICATE KEY UPDATE replays = replays + 1`;
      if (affected === 1) return undefined;
      const rows = await tx.$queryRaw<{ fingerprint: string; response: string | null }[]>`
        SELECT fingerprint, response FROM idempotency_keys
         WHERE route = ${scope.route} AND idempotency_key = ${scope.key} FOR UPDATE`;
      return rows[0];
    },
    async saveIdempotentResponse(scope, response) {
      await tx.idempotencyKey.update({
        where: { route_key: { route: scope.route, key: scope.key } },
        data: { response },
      });
    },
  };
}
