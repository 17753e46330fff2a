import { setTimeout as sleep } from 'node:timers/promises';

/** POST JSON and return the JSON answer; a non-2xx answer fails the run. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Runs task(0..count-1) with at most `concurrency` at once; results in index order. */
export async function bounded<T>(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<T>,
) {
  const results: T[] = new Array(count);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) results[i] = await task(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return results;
}

/** Starts task(i) at `rate` per second whatever the answers' pace (open loop); awaits all. */
export async function openLoop(count: number, rate: number, task: (i: number) => Promise<unknown>) {
  const start = performance.now();
  const running: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1_000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    running.push(task(i));
  }
  await Promise.all(running);
}
