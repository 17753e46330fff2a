// What the webhook-relay benchmark (run.ts) sends: a receiver in a process of its own, and
// PaymentCompleted events with their webhook bodies.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { webhookBody } from '../src/domain/model.ts';

export async function startReceiver(
  mode: 'ok' | 'fail-once',
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'receiver.ts'), mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  return { url: `http://127.0.0.1:${chunk.toString().trim()}/hook`, child };
}

export function events(count: number) {
  return Array.from({ length: count }, () => {
    const id = randomUUID();
    const occurredAt = Date.now();
    const data = {
      eventId: id,
      occurredAt,
      orderId: randomUUID(),
      amount: 39_900,
      currency: 'KRW',
    };
    return {
      id,
      type: 'PaymentCompleted' as const,
      occurredAt: new Date(occurredAt),
      body: webhookBody({ type: 'PaymentCompleted', id, occurredAt, data }),
    };
  });
}
