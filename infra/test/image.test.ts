import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DedicatedBroker,
  deleteKeys,
  freePort,
  stackAddresses,
  startDedicatedBroker,
  uniqueName,
} from '@commerce/testing';
import { Redis } from 'ioredis';
import { createConnection } from 'mariadb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppEntry, deployedPath, readApps, repoRoot } from './support/apps.ts';
import { buildImage } from './support/image.ts';
import { migrateScript, runFromImage, runJob, until200 } from './support/run-image.ts';

// No Docker engine runs here, so each image is proven by its recipe's own steps
// (infra/docker/recipe.sh, as the Dockerfile runs them) into a temporary folder, then run
// from that folder alone: production mode, production dependencies, compiled code, against
// the local stack. A Kafka broker of its own keeps the services' consumer groups away from
// everyone else's; databases and Redis keys carry this run's name.

const stack = stackAddresses();
const run = uniqueName('img');
const workRoot = mkdtempSync(join(tmpdir(), 'images-'));
const turboCache = join(workRoot, 'turbo-cache');
// Production refuses keys under 32 characters (and the published default).
const operatorKey = 'image-test-operator-key-0123456789abcdef';
// The APIs verify shopper tokens: a key of this run stands in for the identity provider.
const tokenKeys = {
  JWT_PUBLIC_KEY: generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString(),
  JWT_ALGORITHMS: 'ES256',
  JWT_ISSUER: 'image-test',
  JWT_AUDIENCE: 'image-test',
};
const databases = new Set<string>();
const redis = new Redis(stack.redisUrl);
let broker: DedicatedBroker;

const databaseUrl = (name: string) =>
  `mysql://${stack.mysql.user}:${stack.mysql.password}@${stack.mysql.host}:${stack.mysql.port}/${name}`;

beforeAll(async () => {
  broker = await startDedicatedBroker();
}, 120_000);

afterAll(async () => {
  await broker?.destroy();
  const connection = await createConnection(stack.mysql);
  for (const name of databases) await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await connection.end();
  await deleteKeys(redis, `${run}:`);
  redis.disconnect();
  rmSync(workRoot, { recursive: true, force: true });
});

/** What must not be in an image: TypeScript sources of the workspace, development tools. */
function expectOnlyProductionFiles(appDir: string) {
  expect(existsSync(join(appDir, 'src')), 'the package source').toBe(false);
  for (const dependency of readdirSync(join(appDir, 'node_modules', '@commerce')))
    expect(
      existsSync(join(appDir, 'node_modules', '@commerce', dependency, 'src')),
      dependency,
    ).toBe(false);
  for (const tool of ['typescript', 'vitest', 'turbo', '@commerce/testing'])
    expect(existsSync(join(appDir, 'node_modules', tool)), tool).toBe(false);
}

function expectMigrationsInside(app: AppEntry, appDir: string) {
  if (!app.migrations) return;
  const inImage = readdirSync(join(appDir, deployedPath(app, app.migrations)));
  expect(inImage.sort()).toEqual(readdirSync(join(repoRoot, app.migrations)).sort());
}

describe('one image per service', () => {
  it('the topic and schema jobs run from their images', async () => {
    const topics = await buildImage('@commerce/kafka', join(workRoot, 'kafka'), turboCache);
    const created = await runJob(topics, ['dist/cli/create-topics.js'], {
      KAFKA_BROKERS: broker.brokers.join(','),
    });
    expect(created).toMatch(/coupon-requests/);
    const schemas = await buildImage('@commerce/events', join(workRoot, 'events'), turboCache);
    expect(existsSync(join(schemas, 'schemas'))).toBe(true);
    const registered = await runJob(schemas, ['dist/cli/schemas.js', 'register'], {
      SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
    });
    expect(registered).not.toMatch(/INCOMPATIBLE/);
  }, 600_000);

  for (const app of readApps()) {
    it(`${app.name}: built from its recipe, migrated and run from its image alone`, async () => {
      const appDir = await buildImage(app.packageName, join(workRoot, app.name), turboCache);
      expect(existsSync(join(appDir, 'dist', 'main.js'))).toBe(true);
      expectOnlyProductionFiles(appDir);
      expectMigrationsInside(app, appDir);

      const database = app.database && `${run}_${app.database}`;
      if (database) databases.add(database);
      if (database && app.migrations)
        await runJob(appDir, [migrateScript, deployedPath(app, app.migrations)], {
          DATABASE_URL: databaseUrl(database),
        });
      const port = await freePort();
      const service = runFromImage(appDir, ['dist/main.js'], {
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        KAFKA_BROKERS: broker.brokers.join(','),
        SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
        REDIS_URL: stack.redisUrl,
        OPERATOR_API_KEY: operatorKey,
        TRUSTED_PROXIES: '127.0.0.1',
        ...tokenKeys,
        RANKING_KEY_PREFIX: `${run}:ranking:`,
        ...(database ? { DATABASE_URL: databaseUrl(database) } : {}),
      });
      try {
        await until200(`http://127.0.0.1:${port}/readyz`, service.child, 90_000).catch((err) => {
          throw new Error(`${app.name} never became ready: ${err.message}\n${service.output()}`);
        });
        const probe = await fetch(`http://127.0.0.1:${port}${app.probe}`, {
          headers: { 'x-api-key': operatorKey },
        });
        expect(probe.status, `${app.probe}: ${await probe.clone().text()}`).toBe(200);
      } finally {
        service.child.kill('SIGTERM');
      }
      const [code] = await new Promise<[number | null]>((resolve) =>
        service.child.exitCode === null
          ? service.child.once('exit', (c) => resolve([c]))
          : resolve([service.child.exitCode]),
      );
      expect(code, service.output()).toBe(0);
    }, 600_000);
  }
});
