#!/usr/bin/env node
// The demo: a coupon rush, a paid order, the analytics report and the payment's webhooks,
// against the services started by infra/local/apps.sh. Prints what a shopper and an
// operator would see, then checks the system's promises and exits 1 if any failed.
// Shoppers' tokens come from the local key pair's CLI (packages/service mint-token), as an
// identity provider would issue them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mintLocalTokens } from '../local/tokens/mint.ts';
import { setUpWebhooks } from './webhooks.ts';

const root = join(import.meta.dirname, '..', '..');
const couponApi = process.env.COUPON_API_URL ?? 'http://127.0.0.1:3001';
const orderApi = process.env.ORDER_API_URL ?? 'http://127.0.0.1:3002';
const analyticsApi = process.env.ANALYTICS_API_URL ?? 'http://127.0.0.1:3103';
const operator = { 'x-api-key': process.env.OPERATOR_API_KEY ?? 'local-operator-key-change-me' };
const json = { 'content-type': 'application/json' };
const run = `demo${Date.now().toString(36)}`;

/** The promises the demo checks; a failed one makes the demo exit non-zero. */
const checks: { promise: string; held: boolean; seen: string }[] = [];
function check(promise: string, held: boolean, seen: string) {
  checks.push({ promise, held, seen });
}

let tokens = new Map<string, string>();
const as = (userId: string) => ({ authorization: `Bearer ${tokens.get(userId)}` });

async function call(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  call(url, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify(body) });

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Listens to one shopper's result stream; `result` resolves with the first result pushed. */
async function listen(userId: string): Promise<{ result: Promise<unknown> }> {
  const res = await fetch(`${couponApi}/users/me/coupon-events`, {
    headers: { accept: 'text/event-stream', ...as(userId) },
  });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const result = (async () => {
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      text += new TextDecoder().decode(value);
      const data = text.match(/event: coupon-result\ndata: (.*)\n/)?.[1];
      if (data) {
        await reader.cancel();
        return JSON.parse(data);
      }
    }
  })();
  return { result };
}

async function couponRush() {
  const total = 100;
  const coupon = await post(
    `${couponApi}/coupons`,
    {
      name: 'Demo rush: 10% off',
      discountType: 'PERCENT',
      discountValue: 10,
      totalQuantity: total,
      validFrom: new Date(Date.now() - 60_000).toISOString(),
      validUntil: new Date(Date.now() + 3_600_000).toISOString(),
    },
    operator,
  );
  console.log(
    `\n1. Coupon rush: coupon ${coupon.body.id} with ${total} coupons (HTTP ${coupon.status})`,
  );
  const watched = `${run}-u0`;
  const stream = await listen(watched);
  const issue = (userId: string, body: unknown = { couponId: coupon.body.id }) =>
    post(`${couponApi}/coupons/issue`, body, as(userId));
  const first = await issue(watched);
  const owners = new Map<string, string>([[first.body.requestId, watched]]);
  const requestIds: string[] = [first.body.requestId];
  const anonymous = await post(`${couponApi}/coupons/issue`, { couponId: coupon.body.id });
  const impostor = await issue(`${run}-u1`, { couponId: coupon.body.id, userId: watched });
  console.log(
    `   without a token: ${anonymous.status} ${anonymous.body.error.code}; in another shopper's name: ${impostor.status} ${impostor.body.error.code}`,
  );
  check(
    'nobody asks without a token or in another name',
    anonymous.status === 401 && impostor.status === 403,
    `${anonymous.status}, ${impostor.status}`,
  );
  const senders = Array.from({ length: 600 }, (_, i) => `${run}-u${i % 400}`).sort(
    () => Math.random() - 0.5,
  );
  const answers = new Map<string, number>();
  const started = Date.now();
  for (let i = 0; i < senders.length; i += 50) {
    const slice = senders.slice(i, i + 50);
    const batch = await Promise.all(slice.map((userId) => issue(userId)));
    for (const [j, a] of batch.entries()) {
      if (a.status === 202) {
        requestIds.push(a.body.requestId);
        owners.set(a.body.requestId, slice[j] as string);
      }
      const key = a.status === 202 ? '202 accepted' : `${a.status} ${a.body.error.code}`;
      answers.set(key, (answers.get(key) ?? 0) + 1);
    }
  }
  console.log(
    `   600 more requests from 400 shoppers in ${Date.now() - started} ms:`,
    Object.fromEntries(answers),
  );
  const settled = await waitFor('all coupons issued', async () => {
    const { body } = await call(`${couponApi}/coupons/${coupon.body.id}`);
    return body.issuedQuantity === total ? body : undefined;
  });
  console.log(
    `   issued ${settled.issuedQuantity} of ${settled.totalQuantity}, remaining ${settled.remainingQuantity}`,
  );
  const pushed = (await stream.result) as { status?: string };
  console.log(`   pushed to ${watched} over SSE:`, pushed);

  const statuses = await waitFor('every accepted request resolved', async () => {
    const all = await Promise.all(
      requestIds.map(
        async (id) =>
          (await call(`${couponApi}/coupons/requests/${id}`, { headers: as(owners.get(id) ?? '') }))
            .body,
      ),
    );
    return all.every((r) => r.status !== 'PENDING') ? all : undefined;
  });
  const users = [...new Set(senders)];
  const held = await Promise.all(
    users.map(
      async (userId) => (await call(`${couponApi}/users/me/coupons`, { headers: as(userId) })).body,
    ),
  );
  const twice = held.filter((body) => body.length > 1).length;
  const issuedRequests = statuses.filter((r) => r.userCouponId).length;
  check(
    'no oversell: issued equals stock',
    settled.issuedQuantity === total,
    `${settled.issuedQuantity} of ${total}`,
  );
  check('nobody served twice', twice === 0, `${twice} shoppers with two coupons`);
  check(
    'every accepted request resolved',
    statuses.length === requestIds.length,
    `${statuses.length} of ${requestIds.length}`,
  );
  check(
    '"issued" only with a coupon',
    issuedRequests === total,
    `${issuedRequests} requests issued`,
  );
  check('result pushed over SSE', pushed.status !== undefined, `status ${pushed.status}`);
  return { couponId: coupon.body.id as string, accepted: requestIds.length, total };
}

async function orderAndRanking() {
  const product = await post(
    `${orderApi}/products`,
    { name: `Demo kettle ${run}`, price: 39_900, stock: 10 },
    operator,
  );
  const buyer = as(`${run}-buyer`);
  const order = await post(
    `${orderApi}/orders`,
    { items: [{ productId: product.body.id, quantity: 3 }] },
    buyer,
  );
  const payment = { amount: order.body.total, method: 'CARD' };
  const stolen = await post(`${orderApi}/orders/${order.body.id}/pay`, payment, as(`${run}-u1`));
  const paid = await post(`${orderApi}/orders/${order.body.id}/pay`, payment, buyer);
  check(
    "nobody pays another shopper's order",
    stolen.status === 404,
    `${stolen.status} ${stolen.body.error?.code}`,
  );
  console.log(
    `\n2. Order ${order.body.id}: ${order.status} ${order.body.status}, total ${order.body.total}; pay → ${paid.status} ${paid.body.status}`,
  );
  const ranked = await waitFor('the product in the ranking', async () => {
    const { body } = await call(`${orderApi}/products/rankings?days=1&limit=5`);
    return body.items.find((item: { productId: string }) => item.productId === product.body.id)
      ? body
      : undefined;
  });
  console.log("   today's ranking:", ranked.items.slice(0, 5));
  const ours = ranked.items.find(
    (item: { productId: string }) => item.productId === product.body.id,
  );
  check(
    'payment counted once in the ranking',
    ours?.quantity === 3,
    `${ours?.quantity} units ranked of 3 paid`,
  );
  return {
    orderId: order.body.id as string,
    productId: product.body.id as string,
    units: 3,
    revenue: order.body.total as number,
  };
}

/** No credential the demo used may appear in any service's log. */
function logsHoldNoSecrets() {
  const logs = join(process.env.COMMERCE_STACK_DIR ?? join(root, '.stack'), 'logs');
  const secrets = [operator['x-api-key'], ...[...tokens.values()].slice(0, 20)];
  const leaking = ['coupon-api', 'coupon-worker', 'order-api', 'ranking-worker', 'analytics-worker']
    .map((app) => join(logs, `${app}.log`))
    .filter((file) => existsSync(file))
    .map((file) => ({ app: file, text: readFileSync(file, 'utf8') }))
    .filter(({ text }) => secrets.some((secret) => text.includes(secret)))
    .map(({ app }) => app);
  check('no key or token in the logs', leaking.length === 0, leaking.join(', ') || 'none');
}

/** The operators' analytics report, once the analytics worker has counted what the demo did. */
async function analyticsReport(
  rush: Awaited<ReturnType<typeof couponRush>>,
  sale: Awaited<ReturnType<typeof orderAndRanking>>,
) {
  const range = `from=${encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`;
  const read = (path: string) => call(`${analyticsApi}${path}`, { headers: operator });
  const coupon = await waitFor('the rush in the analytics', async () => {
    const { status, body } = await read(`/analytics/coupons/${rush.couponId}`);
    return status === 200 && body.requested === rush.accepted ? body : undefined;
  });
  const top = await waitFor('the sale in the analytics', async () => {
    const { body } = await read(`/analytics/products/top?${range}&by=revenue&limit=100`);
    return body.items?.find((i: { productId: string }) => i.productId === sale.productId)
      ? body
      : undefined;
  });
  const sales = (await read(`/analytics/sales?${range}&granularity=hour`)).body;
  console.log('\n3. Analytics (operator read API):');
  console.log(
    `   coupon ${rush.couponId}: requested ${coupon.requested}, issued ${coupon.issued}, failed ${coupon.failed}`,
    coupon.failedByReason,
  );
  for (const i of top.items.slice(0, 3))
    console.log(`   top #${i.rank} by revenue: ${i.productId}, ${i.units} units, ${i.revenue}`);
  for (const b of sales.buckets.slice(-3))
    console.log(
      `   hour ${b.bucket}: ${b.orders} orders, revenue ${b.revenue}, ${b.buyers} buyers`,
    );
  const ours = top.items.find((i: { productId: string }) => i.productId === sale.productId);
  check(
    'analytics count the rush once',
    coupon.issued === rush.total && coupon.requested === rush.accepted,
    `${coupon.issued} issued of ${rush.total}, ${coupon.requested} results of ${rush.accepted} accepted`,
  );
  check(
    'analytics count the sale once',
    ours.units === sale.units && ours.revenue === sale.revenue,
    `${ours.units} units, revenue ${ours.revenue} (paid ${sale.units} units, ${sale.revenue})`,
  );
}

tokens = mintLocalTokens([
  ...Array.from({ length: 400 }, (_, i) => `${run}-u${i}`),
  `${run}-buyer`,
]);
const verifyWebhooks = await setUpWebhooks(check);
const rush = await couponRush();
const sale = await orderAndRanking();
await analyticsReport(rush, sale);
await verifyWebhooks(sale.orderId);
logsHoldNoSecrets();
console.log('\nOpenAPI: /openapi.json on each API; metrics: /metrics; readiness: /readyz');
console.log('\nChecked:');
for (const c of checks) console.log(`  ${c.held ? 'ok    ' : 'FAILED'} ${c.promise} (${c.seen})`);
if (checks.some((c) => !c.held)) {
  console.error('\ndemo: a promise of the system failed (see above)');
  process.exit(1);
}
