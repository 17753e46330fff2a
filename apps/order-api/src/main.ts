import { createLogger, stopOnSignal } from '@commerce/service';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import { createDeps } from './deps.ts';

const config = readConfig();
const logger = createLogger('order-api', config.LOG_LEVEL);
const deps = await createDeps(config, logger);
const app = await buildApp(deps);

// Stop taking requests first, then let the relay finish its round, then disconnect.
stopOnSignal(logger, async () => {
  await app.close();
  await deps.close();
});

// The relay starts with a sweep: events a crashed predecessor committed but never
// published leave now.
deps.relay.start();
await app.listen({ host: config.HOST, port: config.PORT });
const address = app.server.address();
logger.info(
  { port: typeof address === 'object' ? address?.port : config.PORT },
  'order-api started',
);
