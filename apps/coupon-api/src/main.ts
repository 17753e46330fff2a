import { createLogger, exitAfterFatal, stopOnSignal } from '@commerce/service';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import { createResultsConsumer } from './consumer.ts';
import { createDeps } from './deps.ts';

const config = readConfig();
const logger = createLogger('coupon-api', config.LOG_LEVEL);
const deps = await createDeps(config, logger);
const app = await buildApp(deps);
// An unclassified consumer failure is a bug: exit so the supervisor restarts the process.
const consumer = createResultsConsumer(deps, () => exitAfterFatal(stop));

async function stop() {
  await app.close(); // stop taking requests, end SSE streams
  await consumer.stop();
  await deps.close();
}

stopOnSignal(logger, stop);
// The relay starts with a sweep: requests a crashed predecessor logged but never published
// leave now.
deps.relay.start();
await consumer.start();
await app.listen({ host: config.HOST, port: config.PORT });
logger.info({ port: config.PORT }, 'coupon-api started');
