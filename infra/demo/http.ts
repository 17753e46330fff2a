// How the demo talks to the system: through the gateway, as users do, with small helpers.

export const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080';
export const operator = {
  'x-api-key': process.env.OPERATOR_API_KEY ?? 'local-operator-key-change-me',
};
/** This run's names (users, products) are its own, so the demo can run again and again. */
export const runId = `demo${Date.now().toString(36)}`;

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the demo reads what it prints; checks verify it
  body: any;
}

export async function call(path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(gateway + path, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export const get = (path: string, headers: Record<string, string> = {}) => call(path, { headers });

export const post = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
  call(path, {
    method: 'POST',
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

export const bearer = (token: string | undefined) => ({ authorization: `Bearer ${token}` });

/** Probes until it returns a value, or fails naming what it waited for. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs `work` over `items` with at most `limit` at once, in order of the items. */
export async function inBatches<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>) {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += limit)
    results.push(...(await Promise.all(items.slice(i, i + limit).map(work))));
  return results;
}
