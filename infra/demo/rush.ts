// The coupon rush: thousands of requests by shoppers with tokens, through the gateway, for
// fewer coupons than shoppers; some shoppers watch their result stream (SSE) live.
import type { CheckFn } from './checks.ts';
import { bearer, gateway, get, inBatches, operator, post, runId, waitFor } from './http.ts';
import { progress, step } from './progress.ts';

const STOCK = 500;
const REQUESTS = 3_000;
const WATCHED = 100;
export const rushShoppers = Array.from({ length: 2_000 }, (_, i) => `${runId}-u${i}`);

/** Opens a shopper's result stream; `first` settles with the first result pushed on it. */
async function watch(user: string, token: string, onResult: () => void) {
  const res = await fetch(`${gateway}/users/me/coupon-events`, {
    headers: { accept: 'text/event-stream', ...bearer(token) },
  });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const first = (async () => {
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      text += new TextDecoder().decode(value);
      const data = text.match(/event: coupon-result\ndata: (.*)\n/)?.[1];
      if (data) {
        onResult();
        await reader.cancel();
        return JSON.parse(data) as { status: string };
      }
    }
  })();
  // A stream closed unread ends its `first` with an error nobody waits for.
  first.catch(() => undefined);
  return { user, first, close: () => reader.cancel().catch(() => undefined) };
}

export async function couponRush(tokens: Map<string, string>, check: CheckFn) {
  const as = (user: string) => bearer(tokens.get(user));
  const coupon = await post(
    '/coupons',
    {
      name: `Demo rush ${runId}: 10% off`,
      discountType: 'PERCENT',
      discountValue: 10,
      totalQuantity: STOCK,
      validFrom: new Date(Date.now() - 60_000).toISOString(),
      validUntil: new Date(Date.now() + 3_600_000).toISOString(),
    },
    operator,
  );
  const couponId: string = coupon.body.id;
  step(
    `1. Coupon rush: ${REQUESTS} requests by ${rushShoppers.length} shoppers for ${STOCK} coupons (${couponId})`,
  );

  const anonymous = await post('/coupons/issue', { couponId });
  const impostor = await post(
    '/coupons/issue',
    { couponId, userId: rushShoppers[1] },
    as(rushShoppers[0] as string),
  );
  check(
    'nobody asks without a token or in another name',
    anonymous.status === 401 && impostor.status === 403,
    `${anonymous.status} ${anonymous.body.error.code}, ${impostor.status} ${impostor.body.error.code}`,
  );

  let pushed = 0;
  const watched = await Promise.all(
    rushShoppers
      .slice(0, WATCHED)
      .map((user) => watch(user, tokens.get(user) as string, () => (pushed += 1))),
  );
  const senders = Array.from(
    { length: REQUESTS },
    (_, i) => rushShoppers[i % rushShoppers.length] as string,
  ).sort(() => Math.random() - 0.5);
  const answers = new Map<string, number>();
  const owners = new Map<string, string>();
  const live = progress('rush');
  const started = Date.now();
  let sent = 0;
  let issued = 0;
  const poller = setInterval(async () => {
    issued = (await get(`/coupons/${couponId}`)).body.issuedQuantity ?? issued;
  }, 500);
  const show = () =>
    live.update(
      `${sent}/${REQUESTS} sent · ${[...answers].map(([k, n]) => `${n} ${k}`).join(' · ')} · issued ${issued}/${STOCK} · ${pushed} pushed over SSE`,
    );
  await inBatches(senders, 50, async (user) => {
    const answer = await post('/coupons/issue', { couponId }, as(user));
    sent += 1;
    if (answer.status === 202) owners.set(answer.body.requestId, user);
    const key =
      answer.status === 202 ? 'accepted' : (answer.body.error?.code ?? String(answer.status));
    answers.set(key, (answers.get(key) ?? 0) + 1);
    show();
  });
  const sentIn = Date.now() - started;
  const settled = await waitFor(
    'every accepted request resolved',
    async () => {
      const states = await inBatches(
        [...owners],
        50,
        async ([id, user]) => (await get(`/coupons/requests/${id}`, as(user))).body,
      );
      show();
      return states.every((s) => s.status !== 'PENDING') ? states : undefined;
    },
    120_000,
  );
  const resolvedIn = Date.now() - started - sentIn;
  // Only admitted shoppers get a result (a 409 at admission is the whole answer).
  const admitted = new Set(owners.values());
  const expected = watched.filter((w) => admitted.has(w.user));
  for (const w of watched) if (!admitted.has(w.user)) void w.close();
  const results = await Promise.race([
    Promise.all(expected.map((w) => w.first)),
    new Promise<{ status: string }[]>((resolve) => setTimeout(() => resolve([]), 30_000)),
  ]);
  clearInterval(poller);
  const final = (await get(`/coupons/${couponId}`)).body;
  live.done(
    `${REQUESTS} sent in ${sentIn} ms (${[...answers].map(([k, n]) => `${n} ${k}`).join(', ')}); all resolved ${resolvedIn} ms after the last; issued ${final.issuedQuantity}/${STOCK}; ${results.length} of ${expected.length} admitted watchers got theirs over SSE`,
  );

  const held = await inBatches(
    rushShoppers,
    50,
    async (user) => (await get('/users/me/coupons', as(user))).body,
  );
  const twice = held.filter(
    (coupons) => coupons.filter((c: { couponId: string }) => c.couponId === couponId).length > 1,
  ).length;
  const withCoupon = settled.filter((s) => s.userCouponId).length;
  check(
    'no oversell: issued equals stock',
    final.issuedQuantity === STOCK,
    `${final.issuedQuantity} of ${STOCK}`,
  );
  check('nobody served twice', twice === 0, `${twice} shoppers with two coupons`);
  check(
    'every accepted request resolved',
    settled.length === owners.size,
    `${settled.length} of ${owners.size}, 0 pending`,
  );
  check(
    '"issued" only with a coupon',
    withCoupon === final.issuedQuantity,
    `${withCoupon} requests issued`,
  );
  check(
    'every admitted watcher got its result over SSE',
    results.length === expected.length && results.every((r) => r.status),
    `${results.length} of ${expected.length} streams of admitted shoppers`,
  );
  return { couponId, accepted: owners.size, total: STOCK };
}
