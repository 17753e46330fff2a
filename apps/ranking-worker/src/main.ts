import { createLogger, runWorker } from '@commerce/service';
import { readConfig } from './config.ts';
import { createConsumer } from './consumer.ts';
import { createDeps } from './deps.ts';
import { buildOpsApp } from './ops.ts';

const config = readConfig();
const logger = createLogger('ranking-worker', config.LOG_LEVEL);
await runWorker({
  name: 'ranking-worker',
  logger,
  host: config.HOST,
  port: config.PORT,
  async build(onFatal) {
    const deps = await createDeps(config, logger);
    return {
      ops: await buildOpsApp(deps),
      parts: [createConsumer(deps, onFatal)],
      close: deps.close,
    };
  },
});
