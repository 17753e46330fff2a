#!/usr/bin/env node
// The demo, through the gateway, against the six services started by infra/local/apps.sh:
// a coupon rush with results streamed over SSE, orders and payments with the live ranking,
// the analytics report, and webhooks to partners that fail at first (retries, a dead
// letter, a replay). Shoppers' tokens come from the clone's own key pair (mint-token), as
// an identity provider would issue them. Ends with a summary table of the promises checked
// and exits 1 if any failed.
import { mintLocalTokens } from '../local/tokens/mint.ts';
import { analyticsReport } from './analytics.ts';
import { check, summary } from './checks.ts';
import { gateway } from './http.ts';
import { logsHoldNoSecrets } from './logs.ts';
import { buyers, ordersAndRanking } from './orders.ts';
import { couponRush, rushShoppers } from './rush.ts';
import { setUpWebhooks } from './webhooks.ts';

console.log(`commerce-events demo through the gateway at ${gateway}`);
const tokens = mintLocalTokens([...rushShoppers, ...buyers]);
const verifyWebhooks = await setUpWebhooks(check);
const rush = await couponRush(tokens, check);
const sales = await ordersAndRanking(tokens, check);
await analyticsReport(rush, sales, check);
await verifyWebhooks(sales.orderIds[0] as string);
logsHoldNoSecrets(tokens, check);

console.log(`\nOperator console: ${gateway}/console/ · OpenAPI: /openapi.json on each API`);
if (!summary()) {
  console.error('\ndemo: a promise of the system failed (see above)');
  process.exit(1);
}
