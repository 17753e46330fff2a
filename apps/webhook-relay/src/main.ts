import { createLogger, runWorker } from '@commerce/service';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import { createConsumer } from './consumer.ts';
import { createDeps } from './deps.ts';

const config = readConfig();
const logger = createLogger('webhook-relay', config.LOG_LEVEL);

// Started in order, stopped in reverse: the consumer stops taking events first, the
// scheduler finishes its attempts and records them, the relay publishes their dead letters.
await runWorker({
  name: 'webhook-relay',
  logger,
  host: config.HOST,
  port: config.PORT,
  async build(onFatal) {
    const deps = await createDeps(config, logger);
    return {
      ops: await buildApp(deps),
      parts: [deps.relay, deps.scheduler, createConsumer(deps, onFatal)],
      close: deps.close,
    };
  },
});
