// The operator console: reads the services' own APIs and metrics through the gateway (same
// origin) every few seconds. No framework and no build: one module, plain DOM.
const REFRESH_MS = 2_000;
const KEY_STORAGE = 'commerce-operator-key';
/** Every consumer group, and where the gateway serves its service's ops port. */
const CONSUMERS = [
  ['coupon-api', '/ops/coupon-api'],
  ['coupon-worker', '/ops/coupon-worker'],
  ['ranking-worker', '/ops/ranking-worker'],
  ['analytics-worker', '/ops/analytics-worker'],
  ['webhook-relay', '/ops/webhook-relay'],
];

const $ = (testId) => document.querySelector(`[data-testid="${testId}"]`);
const operatorKey = () => sessionStorage.getItem(KEY_STORAGE) ?? '';

async function get(path, { operator = false, text = false } = {}) {
  const res = await fetch(path, { headers: operator ? { 'x-api-key': operatorKey() } : {} });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return text ? res.text() : res.json();
}

/** Sums a Prometheus text metric over the series whose labels include every `labels` pair. */
export function sumMetric(text, name, labels = {}) {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = line.match(/^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/);
    if (!match || match[1] !== name) continue;
    const series = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => series[k] === v)) sum += Number(match[3]);
  }
  return sum;
}

const el = (tag, { dataset = {}, ...props } = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  Object.assign(node.dataset, dataset);
  node.append(...children);
  return node;
};
const integer = (n) => Math.round(n).toLocaleString('en-US');

let lastIssueCount;
async function showRush() {
  const { items } = await get('/analytics/coupons?limit=1', { operator: true });
  if (items.length === 0) return;
  const coupon = await get(`/coupons/${encodeURIComponent(items[0].couponId)}`);
  $('rush-coupon').textContent = `${coupon.name} (${coupon.id})`;
  $('rush-issued').textContent = String(coupon.issuedQuantity);
  $('rush-remaining').textContent = String(coupon.remainingQuantity);
  $('rush-total').textContent = String(coupon.totalQuantity);
  const metrics = await get('/ops/coupon-api/metrics', { text: true });
  const issued = sumMetric(metrics, 'http_request_duration_seconds_count', {
    route: '/coupons/issue',
  });
  const now = Date.now();
  if (lastIssueCount)
    $('rush-rate').textContent = integer(
      ((issued - lastIssueCount.value) * 1_000) / (now - lastIssueCount.at),
    );
  lastIssueCount = { value: issued, at: now };
}

async function showRanking() {
  const { items } = await get('/products/rankings?days=1&limit=10');
  $('ranking').replaceChildren(
    ...items.map((item) =>
      el(
        'li',
        { dataset: { productId: item.productId } },
        `${item.name ?? item.productId}: ${item.quantity}`,
      ),
    ),
  );
}

const HOUR = 3_600_000;
const svgNode = (name, attrs, text) => {
  const node = document.createElementNS('http://www.w3.org/2000/svg', name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
};

/** Revenue per hour over the last 24 hours, one bar per hour (empty hours stay empty). */
async function showSales() {
  const first = Math.floor((Date.now() - 23 * HOUR) / HOUR) * HOUR;
  const from = new Date(first).toISOString();
  const to = new Date(first + 24 * HOUR).toISOString();
  const { buckets } = await get(
    `/analytics/sales?granularity=hour&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    { operator: true },
  );
  const max = Math.max(1, ...buckets.map((b) => b.revenue));
  const width = 480 / 24;
  const bars = buckets.map((b) => {
    const slot = Math.round((Date.parse(b.bucket) - first) / HOUR);
    const height = (b.revenue / max) * 130;
    const rect = svgNode('rect', {
      x: slot * width + 1,
      y: 140 - height,
      width: width - 2,
      height,
    });
    rect.append(svgNode('title', {}, `${b.bucket}: ${b.orders} orders, revenue ${b.revenue}`));
    return rect;
  });
  const labels = [0, 6, 12, 18].map((slot) =>
    svgNode(
      'text',
      { x: slot * width + 2, y: 155 },
      new Date(first + slot * HOUR).toTimeString().slice(0, 5),
    ),
  );
  $('sales-chart').replaceChildren(
    ...bars,
    ...labels,
    svgNode('text', { x: 2, y: 9 }, integer(max)),
  );
  const revenue = buckets.reduce((sum, b) => sum + b.revenue, 0);
  const orders = buckets.reduce((sum, b) => sum + b.orders, 0);
  $('sales-total').textContent =
    `${integer(orders)} orders, revenue ${integer(revenue)} (minor units)`;
  $('sales-total').dataset.revenue = String(revenue);
}

const listOf = (body) => (Array.isArray(body) ? body : (body.items ?? []));

async function showWebhooks() {
  const endpoints = listOf(await get('/webhooks/endpoints', { operator: true }));
  const rows = await Promise.all(
    endpoints.map(async (endpoint) => {
      const [stats, dead] = await Promise.all([
        get(`/webhooks/endpoints/${endpoint.id}/stats`, { operator: true }),
        get(`/webhooks/deliveries?status=DEAD_LETTER&endpointId=${endpoint.id}`, {
          operator: true,
        }),
      ]);
      const deadLetters = listOf(dead);
      const replay = el('button', { type: 'button', disabled: deadLetters.length === 0 }, 'replay');
      replay.addEventListener('click', async () => {
        replay.disabled = true;
        for (const delivery of deadLetters)
          await fetch(`/webhooks/deliveries/${delivery.id}/replay`, {
            method: 'POST',
            headers: { 'x-api-key': operatorKey() },
          });
        await refresh();
      });
      const rate =
        stats.successRate === null || stats.successRate === undefined
          ? '–'
          : `${(stats.successRate * 100).toFixed(1)}%`;
      return el(
        'tr',
        { dataset: { endpointId: endpoint.id } },
        el('td', {}, endpoint.url),
        el('td', {}, endpoint.enabled === false ? 'disabled' : 'enabled'),
        el('td', { className: 'num' }, rate),
        el('td', { className: 'num' }, String(stats.p99Ms ?? stats.latencyP99Ms ?? '–')),
        el(
          'td',
          { className: 'num', dataset: { testid: 'dead-letters' } },
          String(deadLetters.length),
        ),
        el('td', {}, replay),
      );
    }),
  );
  $('webhooks').replaceChildren(...rows);
}

async function showConsumers() {
  const rows = await Promise.all(
    CONSUMERS.map(async ([group, base]) => {
      const [lag, dead] = await Promise.all([
        get(`${base}/metrics`, { text: true })
          .then((text) => integer(sumMetric(text, 'consumer_lag_messages')))
          .catch(() => 'down'),
        get(`${base}/ops/dead-letters?limit=1`, { operator: true })
          .then((body) => String(body.total))
          .catch(() => '–'),
      ]);
      return el(
        'tr',
        { dataset: { group } },
        el('td', {}, group),
        el('td', { className: lag === 'down' ? 'num bad' : 'num' }, lag),
        el('td', { className: 'num' }, dead),
      );
    }),
  );
  $('consumers').replaceChildren(...rows);
}

async function refresh() {
  const parts = {
    rush: showRush,
    ranking: showRanking,
    sales: showSales,
    webhooks: showWebhooks,
    consumers: showConsumers,
  };
  const failed = [];
  await Promise.all(
    Object.entries(parts).map(([name, show]) =>
      show().catch((err) => failed.push(`${name}: ${err.message}`)),
    ),
  );
  const status = $('status');
  status.textContent =
    failed.length === 0 ? `updated ${new Date().toLocaleTimeString()}` : failed.join('; ');
  status.className = failed.length === 0 ? '' : 'bad';
  document.body.dataset.refreshed = String(Date.now());
}

document.querySelector('#key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY_STORAGE, document.querySelector('#operator-key').value);
  refresh();
});
// The key may come once in the URL fragment (#key=…), so a script can open the console.
const fromFragment = new URLSearchParams(location.hash.slice(1)).get('key');
if (fromFragment) {
  sessionStorage.setItem(KEY_STORAGE, fromFragment);
  history.replaceState(null, '', location.pathname + location.search);
}
document.querySelector('#operator-key').value = operatorKey();
refresh();
setInterval(refresh, REFRESH_MS);
