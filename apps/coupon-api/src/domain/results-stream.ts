import { type CouponResult, type ResultFeed, resultOfRequest } from './coupon-result.ts';
import type { RequestLog } from './request-log.ts';

export interface ResultsStreamDeps {
  feed: ResultFeed;
  requests: Pick<RequestLog, 'resultsAfter'>;
}

export interface ResultsStream {
  /** Settles once the results missed since `lastRequestId` were sent; rejects if reading them failed. */
  replayed: Promise<void>;
  /** Stops the live results (the shopper went away). */
  stop(): void;
}

/**
 * A shopper follows their results: first those decided after the last one they saw
 * (`lastRequestId`, from the request log), then each new one as it is decided. Every
 * request is sent once, however often a result is broadcast or replayed.
 */
export function streamResults(
  deps: ResultsStreamDeps,
  input: { userId: string; lastRequestId?: string },
  send: (result: CouponResult) => void,
): ResultsStream {
  const sent = new Set<string>();
  const sendOnce = (result: CouponResult) => {
    if (sent.has(result.requestId)) return;
    sent.add(result.requestId);
    send(result);
  };
  // Listen before reading what was missed, so nothing decided in between is lost.
  let missedWhileReplaying: CouponResult[] | undefined = [];
  const stop = deps.feed.listen(input.userId, (result) =>
    missedWhileReplaying ? missedWhileReplaying.push(result) : sendOnce(result),
  );
  const replay = async () => {
    if (input.lastRequestId) {
      const decided = await deps.requests.resultsAfter(input.userId, input.lastRequestId);
      for (const request of decided) sendOnce(resultOfRequest(request));
    }
    const missed = missedWhileReplaying ?? [];
    missedWhileReplaying = undefined;
    for (const result of missed) sendOnce(result);
  };
  return { replayed: replay(), stop };
}
