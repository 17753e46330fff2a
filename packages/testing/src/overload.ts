// Open-loop overload runs for the bench scripts: requests leave at a fixed rate whatever the
// answers (a flood does not wait for the server), every answer is counted by status and
// code, and the latencies of the accepted ones are kept.
import { Agent, request } from 'node:http';
import { percentile } from './bench.ts';

export interface Answer {
  status: number;
  code?: string;
  body?: Record<string, unknown>;
}

export interface OverloadReport {
  sent: number;
  seconds: number;
  /** "202", "409 SOLD_OUT", "429 RATE_LIMITED", "503 OVERLOADED", "timeout", "error"... */
  answers: Record<string, number>;
  acceptedP50: number;
  acceptedP99: number;
  acceptedMax: number;
}

/** A keep-alive JSON client that never throws: a timeout or a broken socket is an answer. */
export function jsonClient(baseUrl: string, timeoutMs = 10_000) {
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  return {
    send(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
      const payload = JSON.stringify(body);
      return new Promise((resolve) => {
        const req = request(
          new URL(path, baseUrl),
          {
            method: 'POST',
            agent,
            timeout: timeoutMs,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(payload),
              ...headers,
            },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => {
              text += chunk.toString();
            });
            res.on('end', () => {
              let parsed: Record<string, unknown> | undefined;
              try {
                parsed = JSON.parse(text);
              } catch {
                parsed = undefined;
              }
              const code = (parsed?.error as { code?: string } | undefined)?.code;
              resolve({
                status: res.statusCode ?? 0,
                ...(code ? { code } : {}),
                ...(parsed ? { body: parsed } : {}),
              });
            });
          },
        );
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', (err) =>
          resolve({ status: 0, code: err.message === 'timeout' ? 'timeout' : 'error' }),
        );
        req.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}

/**
 * Sends `send(i)` at `rate` per second for `seconds` (open loop); an answer `accepted`
 * deems taken on counts toward the latency percentiles, measured from its planned instant.
 */
export async function openLoopRun(options: {
  rate: number;
  seconds: number;
  send: (i: number) => Promise<Answer>;
  accepted: (answer: Answer) => boolean;
  onAnswer?: (i: number, answer: Answer) => void;
}): Promise<OverloadReport> {
  const total = Math.round(options.rate * options.seconds);
  const answers: Record<string, number> = {};
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1_000) / options.rate;
    const wait = due - performance.now();
    if (wait >= 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      options.send(i).then((answer) => {
        const key =
          answer.status === 0
            ? (answer.code ?? 'error')
            : `${answer.status}${answer.code ? ` ${answer.code}` : ''}`;
        answers[key] = (answers[key] ?? 0) + 1;
        if (options.accepted(answer)) latencies.push(performance.now() - due);
        options.onAnswer?.(i, answer);
      }),
    );
  }
  await Promise.all(pending);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    sent: total,
    seconds: (performance.now() - started) / 1_000,
    answers,
    acceptedP50: round(percentile(latencies, 50)),
    acceptedP99: round(percentile(latencies, 99)),
    acceptedMax: round(percentile(latencies, 100)),
  };
}

/** Answers per second of a closed loop of `concurrency` senders for `seconds`: the max rate. */
export async function closedLoopRate(options: {
  seconds: number;
  concurrency: number;
  send: (i: number) => Promise<Answer>;
}): Promise<number> {
  let next = 0;
  let answered = 0;
  const until = performance.now() + options.seconds * 1_000;
  const lane = async () => {
    while (performance.now() < until) {
      const answer = await options.send(next++);
      if (answer.status > 0 && answer.status < 500) answered++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return answered / ((performance.now() - started) / 1_000);
}

/** A service's used heap from its /metrics (prom-client's nodejs_heap_size_used_bytes). */
export async function heapUsedBytes(baseUrl: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', baseUrl))).text();
  return Number(/^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\d+(?:\.\d+)?)/m.exec(text)?.[1]);
}
