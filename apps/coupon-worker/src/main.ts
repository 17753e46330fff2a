import { createLogger, runWorker } from '@commerce/service';
import { readConfig } from './config.ts';
import { createConsumer } from './consumer.ts';
import { createDeps } from './deps.ts';
import { buildOpsApp } from './ops.ts';

const config = readConfig();
const logger = createLogger('coupon-worker', config.LOG_LEVEL);

await runWorker({
  name: 'coupon-worker',
  logger,
  host: config.HOST,
  port: config.PORT,
  async build(onFatal) {
    const deps = await createDeps(config, logger);
    return {
      ops: await buildOpsApp(deps),
      // The relay first (its first sweep publishes what a crashed predecessor left), then
      // intake; stopped the other way round: the consumer finishes and commits its in-flight
      // decisions, then the relay its round.
      parts: [deps.relay, createConsumer(deps, onFatal)],
      close: deps.close,
    };
  },
});
