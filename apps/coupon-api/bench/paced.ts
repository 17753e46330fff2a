// Open-loop load at a fixed rate: requests leave at evenly spaced instants whatever the
// answers, and each latency counts from its planned instant (a late send counts against it).
// autocannon's overallRate instead lets every connection send its quota at the top of each
// second: bursts as wide as the connections.
import { jsonClient, openLoopRun } from '@commerce/testing';
import type { LoadResult } from './load.ts';
import type { TokenPool } from './tokens.ts';

export async function pacedIssueLoad(
  baseUrl: string,
  couponId: string,
  plan: { rate: number; seconds: number },
  tokens: TokenPool,
): Promise<LoadResult> {
  const client = jsonClient(baseUrl);
  try {
    const report = await openLoopRun({
      ...plan,
      send: () =>
        client.send('/coupons/issue', { couponId }, { authorization: `Bearer ${tokens.next()}` }),
      accepted: (answer) => answer.status === 202,
    });
    const accepted = report.answers['202'] ?? 0;
    return {
      reqPerSec: accepted / report.seconds,
      p50: report.acceptedP50,
      p99: report.acceptedP99,
      accepted,
      other: report.sent - accepted,
    };
  } finally {
    client.close();
  }
}
