// The demo's webhook part: two local receivers subscribed to PaymentCompleted through
// webhook-relay's operator API. One fails its first two POSTs of each delivery (retries on
// the seed's schedule, then delivered); the other fails everything until the demo "repairs"
// it (a dead letter, then a replay with the same webhook-id).
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { CheckFn } from './checks.ts';
import { call, operator, waitFor } from './http.ts';

interface Post {
  id: string;
  at: number;
  orderId: string | undefined;
  status: number;
}

async function receiver(answer: (id: string, seen: number) => number) {
  const posts: Post[] = [];
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const id = String(request.headers['webhook-id']);
    const status = answer(id, posts.filter((p) => p.id === id).length);
    posts.push({ id, at: Date.now(), orderId: JSON.parse(body).data?.orderId, status });
    response.writeHead(status).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/hook`, posts, close: () => server.close() };
}

/** webhook-relay's operator API, through the gateway. */
const api = (method: string, path: string, body?: unknown) =>
  call(path, {
    method,
    headers: body === undefined ? operator : { ...operator, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** The delivery of the demo's payment to a receiver, once it has been POSTed there. */
async function deliveryFor(posts: Post[], orderId: string, status: string, ms?: number) {
  return waitFor(
    `the delivery ${status}`,
    async () => {
      const id = posts.find((p) => p.orderId === orderId)?.id;
      if (!id) return undefined;
      const { body } = await api('GET', `/webhooks/deliveries/${id}`);
      return body.status === status ? body : undefined;
    },
    ms,
  );
}

/**
 * Subscribes the receivers; call `verify` with the demo's paid order after the payment
 * (other PaymentCompleted events on the topic are told apart by their order id).
 */
export async function setUpWebhooks(check: CheckFn) {
  const flaky = await receiver((_, seen) => (seen < 2 ? 503 : 204));
  let repaired = false;
  const broken = await receiver(() => (repaired ? 204 : 500));
  const subscribe = (url: string, description: string) =>
    api('POST', '/webhooks/endpoints', { url, eventTypes: ['PaymentCompleted'], description });
  const flakyEndpoint = await subscribe(flaky.url, 'demo partner that fails at first');
  const brokenEndpoint = await subscribe(broken.url, 'demo partner that is down');
  const subscribed = `\n4. Webhooks: two endpoints subscribed to PaymentCompleted (HTTP ${flakyEndpoint.status}, ${brokenEndpoint.status}); secret shown once: ${String(flakyEndpoint.body.secret).slice(0, 10)}…`;

  return async function verify(orderId: string) {
    console.log(subscribed);
    const delivered = await deliveryFor(flaky.posts, orderId, 'COMPLETED');
    const ours = flaky.posts.filter((p) => p.id === delivered.id);
    const gaps = ours.slice(1).map((p, i) => p.at - (ours[i]?.at ?? 0));
    console.log(
      `   flaky partner: ${ours.map((p) => p.status).join(' → ')} (gaps ${gaps.join(', ')} ms), webhook-id ${delivered.id}`,
    );
    check(
      'webhook retried on the schedule, then delivered once',
      delivered.attempts === 3 && ours.length === 3 && ours.at(-1)?.status === 204,
      `${delivered.attempts} attempts, ${ours.length} POSTs of one webhook-id`,
    );

    const dead = await deliveryFor(broken.posts, orderId, 'DEAD_LETTER', 90_000);
    console.log(
      `   partner down: ${dead.attempts} attempts → DEAD_LETTER (envelope on webhook-relay.dlq)`,
    );
    repaired = true;
    const replay = await api('POST', `/webhooks/deliveries/${dead.id}/replay`);
    const replayed = await deliveryFor(broken.posts, orderId, 'COMPLETED');
    const last = broken.posts.filter((p) => p.id === dead.id).at(-1);
    console.log(
      `   partner repaired, replay → ${replay.status}, delivered with the same webhook-id: ${last?.id === dead.id}`,
    );
    check(
      'dead letter replayed with the same webhook-id',
      replayed.status === 'COMPLETED' && last?.id === dead.id && last?.status === 204,
      `${broken.posts.length} POSTs, last ${last?.status}`,
    );
    const stats = await api('GET', `/webhooks/endpoints/${brokenEndpoint.body.id}/stats`);
    console.log('   its stats:', {
      attempts: stats.body.attempts,
      successRate: stats.body.successRate,
      lastError: stats.body.lastError?.error,
    });
    // The demo's receivers go away with it: so do their endpoints (the next run makes its own).
    await api('DELETE', `/webhooks/endpoints/${flakyEndpoint.body.id}`);
    await api('DELETE', `/webhooks/endpoints/${brokenEndpoint.body.id}`);
    flaky.close();
    broken.close();
  };
}
