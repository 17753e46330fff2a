import { createLogger, runWorker } from '@commerce/service';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import { createConsumer } from './consumer.ts';
import { createDeps } from './deps.ts';

const config = readConfig();
const logger = createLogger('analytics-worker', config.LOG_LEVEL);

await runWorker({
  name: 'analytics-worker',
  logger,
  host: config.HOST,
  port: config.PORT,
  async build(onFatal) {
    const deps = await createDeps(config, logger);
    return { ops: await buildApp(deps), parts: [createConsumer(deps, onFatal)], close: deps.close };
  },
});
