import { createLogger, stopOnSignal } from '@commerce/service';
import { readConfig } from './config.ts';
import { createConsumer } from './consumer.ts';
import { createDeps } from './deps.ts';
import { buildOpsApp } from './ops.ts';

const config = readConfig();
const logger = createLogger('ranking-worker', config.LOG_LEVEL);
const deps = await createDeps(config, logger);
const ops = await buildOpsApp(deps);
// A failure the runner cannot classify is a bug: exit non-zero so the supervisor restarts
// the process; the message stays uncommitted and the next incarnation retries it.
const consumer = createConsumer(deps, () => {
  void stop().finally(() => process.exit(1));
});

// The consumer first (finish and commit in-flight messages), then the clients.
async function stop() {
  await ops.close();
  await consumer.stop();
  await deps.close();
}

stopOnSignal(logger, stop);
await consumer.start();
await ops.listen({ host: config.HOST, port: config.PORT });
const address = ops.server.address();
logger.info(
  { port: typeof address === 'object' ? address?.port : config.PORT },
  'ranking-worker started',
);
