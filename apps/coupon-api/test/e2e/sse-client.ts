export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/**
 * A minimal Server-Sent Events client over fetch: collects events as they arrive and
 * resolves waiters by predicate, so tests await an event instead of sleeping.
 */
export async function openEventStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  if (response.status !== 200 || !response.body)
    throw new Error(`stream refused: ${response.status}`);
  const events: SseEvent[] = [];
  const waiters: { predicate: (events: SseEvent[]) => boolean; resolve: () => void }[] = [];

  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = parseFrame(frame);
          if (event) events.push(event);
          for (const waiter of [...waiters]) if (waiter.predicate(events)) waiter.resolve();
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted by close()
    }
  })();

  return {
    events,
    /** Resolves once the events received so far satisfy `predicate`. */
    until(predicate: (events: SseEvent[]) => boolean, timeoutMs = 30_000): Promise<void> {
      if (predicate(events)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching event; got ${JSON.stringify(events)}`)),
          timeoutMs,
        );
        waiters.push({
          predicate,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    close: () => controller.abort(),
  };
}

function parseFrame(frame: string): SseEvent | undefined {
  const event: SseEvent = { data: '' };
  let isComment = true;
  for (const line of frame.split('\n')) {
    if (line.startsWith(':')) continue;
    isComment = false;
    const [field, ...rest] = line.split(':');
    const value = rest.join(':').replace(/^ /, '');
    if (field === 'id') event.id = value;
    else if (field === 'event') event.event = value;
    else if (field === 'data') event.data += value;
  }
  return isComment ? undefined : event;
}
