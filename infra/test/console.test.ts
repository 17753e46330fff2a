import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stackLogDir, waitFor } from '@commerce/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintLocalTokens } from '../local/tokens/mint.ts';

// The operator console in headless Chromium (Debian's), through the local gateway, against
// the running services (started here if they are not): what it shows must be what the
// services' APIs answer. Leaves a screenshot in the stack's log folder.

const run = promisify(execFile);
const appsScript = join(import.meta.dirname, '..', 'local', 'apps.sh');
const apps = (command: string) => run('bash', [appsScript, command], { timeout: 240_000 });
const gateway = process.env.GATEWAY_URL ?? `http://127.0.0.1:${process.env.GATEWAY_PORT ?? 8080}`;
const operatorKey = process.env.OPERATOR_API_KEY ?? 'local-operator-key-change-me';
const asOperator = { 'x-api-key': operatorKey, 'content-type': 'application/json' };
const CHROMIUM = '/usr/bin/chromium';
const HOUR = 3_600_000;

// biome-ignore lint/suspicious/noExplicitAny: the answers are checked by the assertions
async function api(path: string, init: RequestInit = {}): Promise<any> {
  const res = await fetch(`${gateway}${path}`, init);
  const body = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}
const post = (path: string, body: unknown, headers: Record<string, string> = asOperator) =>
  api(path, { method: 'POST', headers, body: JSON.stringify(body) });

let startedHere = false;
let browser: Browser;
let page: Page;
let couponId: string;

/** A small rush and a paid order, so every panel has something of this test's to show. */
async function seed() {
  const run = `console${Date.now().toString(36)}`;
  const coupon = await post('/coupons', {
    name: `Console rush ${run}`,
    discountType: 'AMOUNT',
    discountValue: 1_000,
    totalQuantity: 5,
    validFrom: new Date(Date.now() - 60_000).toISOString(),
    validUntil: new Date(Date.now() + HOUR).toISOString(),
  });
  couponId = coupon.id;
  const users = Array.from({ length: 8 }, (_, i) => `${run}-u${i}`);
  const tokens = mintLocalTokens([...users, `${run}-buyer`]);
  const as = (userId: string) => ({
    'content-type': 'application/json',
    authorization: `Bearer ${tokens.get(userId)}`,
  });
  const answers = await Promise.all(
    users.map((userId) =>
      fetch(`${gateway}/coupons/issue`, {
        method: 'POST',
        headers: as(userId),
        body: JSON.stringify({ couponId }),
      }),
    ),
  );
  const shopper = as(`${run}-buyer`);
  const accepted = answers.filter((a) => a.status === 202).length;
  const product = await post('/products', { name: `Console lamp ${run}`, price: 12_500, stock: 9 });
  const order = await post('/orders', { items: [{ productId: product.id, quantity: 2 }] }, shopper);
  await post(`/orders/${order.id}/pay`, { amount: order.total, method: 'CARD' }, shopper);
  await waitFor('the rush in the analytics', 60_000, async () => {
    const { items } = await api('/analytics/coupons?limit=1', { headers: asOperator });
    return items[0]?.couponId === couponId && items[0].requested === accepted;
  });
}

const shown = (testId: string) => page.textContent(`[data-testid="${testId}"]`);

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: infra/test.sh installs it`);
  const { stdout } = await apps('status');
  if (stdout.includes('stopped')) {
    startedHere = true;
    await apps('up');
  }
  await seed();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // The closed network refuses Chromium's own background connections: switch them off.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${gateway}/console/#key=${operatorKey}`);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (startedHere) await apps('down');
});

describe('the operator console', () => {
  it('when it has refreshed, then the rush, ranking, sales and consumers it shows are what the APIs answer', async () => {
    await expect.poll(() => shown('rush-coupon'), { timeout: 20_000 }).toContain(couponId);
    const coupon = await api(`/coupons/${couponId}`);
    await expect
      .poll(() => shown('rush-issued'), { timeout: 10_000 })
      .toBe(String(coupon.issuedQuantity));
    expect(await shown('rush-remaining')).toBe(String(coupon.remainingQuantity));
    expect(await shown('rush-total')).toBe(String(coupon.totalQuantity));

    const ranking = await api('/products/rankings?days=1&limit=10');
    const expectedRanking = ranking.items.map(
      (i: { name: string | null; productId: string; quantity: number }) =>
        `${i.name ?? i.productId}: ${i.quantity}`,
    );
    await expect
      .poll(
        () =>
          page.$$eval('[data-testid="ranking"] li', (items) => items.map((li) => li.textContent)),
        {
          timeout: 10_000,
        },
      )
      .toEqual(expectedRanking);

    const first = Math.floor((Date.now() - 23 * HOUR) / HOUR) * HOUR;
    const range = `from=${encodeURIComponent(new Date(first).toISOString())}&to=${encodeURIComponent(new Date(first + 24 * HOUR).toISOString())}`;
    const sales = await api(`/analytics/sales?granularity=hour&${range}`, { headers: asOperator });
    const revenue = sales.buckets.reduce(
      (sum: number, b: { revenue: number }) => sum + b.revenue,
      0,
    );
    await expect
      .poll(() => page.getAttribute('[data-testid="sales-total"]', 'data-revenue'), {
        timeout: 10_000,
      })
      .toBe(String(revenue));
    expect(await page.$$('[data-testid="sales-chart"] rect')).toHaveLength(sales.buckets.length);

    for (const group of ['coupon-api', 'coupon-worker', 'ranking-worker', 'analytics-worker']) {
      const { total } = await api(`/ops/${group}/ops/dead-letters?limit=1`, {
        headers: asOperator,
      });
      const row = `[data-testid="consumers"] tr[data-group="${group}"] td`;
      await expect
        .poll(() => page.$$eval(row, (cells) => cells.map((c) => c.textContent)), {
          timeout: 10_000,
        })
        .toEqual([group, expect.stringMatching(/^\d[\d,]*$/), String(total)]);
    }
    const endpoints = await api('/webhooks/endpoints', { headers: asOperator });
    const listed = Array.isArray(endpoints) ? endpoints : endpoints.items;
    await expect
      .poll(() => page.$$eval('[data-testid="webhooks"] tr', (rows) => rows.length), {
        timeout: 10_000,
      })
      .toBe(listed.length);
    await page.screenshot({ path: join(stackLogDir(), 'console.png'), fullPage: true });
  });
});
