import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot as root } from './support/apps.ts';
import { services } from './support/compose.ts';

// No Docker engine runs on the project's machines, so docker-compose.yml is checked by
// parsing it (YAML merge keys resolved, as Compose does) and asserting what it promises.

const brokers = Object.entries(services).filter(([name]) => name.startsWith('kafka-'));

describe('docker-compose.yml', () => {
  it('runs three KRaft brokers that form one quorum', () => {
    expect(brokers.map(([name]) => name)).toEqual(['kafka-1', 'kafka-2', 'kafka-3']);
    const nodeIds = brokers.map(([, s]) => s.environment?.KAFKA_NODE_ID);
    expect(new Set(nodeIds)).toEqual(new Set([1, 2, 3]));
    for (const [name, broker] of brokers) {
      expect(broker.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
      expect(broker.environment?.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe(
        '1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093',
      );
      expect(broker.environment?.KAFKA_ADVERTISED_LISTENERS).toBe(`PLAINTEXT://${name}:9092`);
    }
  });

  it('replicates every topic three times and acknowledges writes on two replicas', () => {
    for (const [, broker] of brokers) {
      expect(broker.environment).toMatchObject({
        KAFKA_DEFAULT_REPLICATION_FACTOR: 3,
        KAFKA_MIN_INSYNC_REPLICAS: 2,
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: 3,
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      });
    }
    expect(services.topics?.environment).toMatchObject({
      TOPIC_REPLICATION_FACTOR: 3,
      TOPIC_MIN_INSYNC_REPLICAS: 2,
    });
  });

  it("uses Confluent's schema registry, MySQL 8 and Redis", () => {
    expect(services['schema-registry']?.image).toMatch(/^confluentinc\/cp-schema-registry:/);
    expect(services.mysql?.image).toMatch(/^mysql:8\./);
    expect(services.redis?.image).toMatch(/^redis:/);
  });

  it('gives every long-running service a healthcheck', () => {
    const longRunning = Object.entries(services).filter(([, s]) => s.restart !== 'no');
    expect(longRunning.length).toBeGreaterThanOrEqual(6);
    for (const [name, service] of longRunning)
      expect(service.healthcheck?.test, name).toBeDefined();
  });

  it('builds images from Dockerfiles and mounts files that exist in the repository', () => {
    for (const service of Object.values(services)) {
      if (service.build) expect(existsSync(join(root, service.build.dockerfile))).toBe(true);
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] ?? '';
        if (source.startsWith('./')) expect(existsSync(join(root, source))).toBe(true);
      }
    }
  });

  it('builds every service image from a package of the workspace whose entry point exists', () => {
    const packages = new Map<string, string>();
    for (const dir of ['apps', 'packages']) {
      for (const name of readdirSync(join(root, dir))) {
        const manifest = join(root, dir, name, 'package.json');
        if (existsSync(manifest))
          packages.set(JSON.parse(readFileSync(manifest, 'utf8')).name, join(root, dir, name));
      }
    }
    const built = Object.values(services).filter((s) => s.build?.args?.PACKAGE);
    expect(built.length).toBeGreaterThanOrEqual(6);
    for (const service of built) {
      const dir = packages.get(service.build?.args?.PACKAGE ?? '');
      expect(dir, service.build?.args?.PACKAGE).toBeDefined();
      const source = (service.build?.args?.ENTRY ?? '')
        .replace(/^dist\//, 'src/')
        .replace(/\.js$/, '.ts');
      expect(existsSync(join(dir as string, source)), `${dir}/${source}`).toBe(true);
    }
  });

  it('routes every API path prefix through the gateway, SSE unbuffered', () => {
    const gateway = readFileSync(join(root, 'infra', 'gateway', 'gateway.conf.template'), 'utf8');
    for (const prefix of ['/coupons', '/users', '/products', '/orders', '/analytics', '/webhooks/'])
      expect(gateway).toContain(`location ${prefix} `);
    // nginx 1.22 passed small events on promptly even when buffering (a local trial), so the
    // SSE test through the running gateway cannot catch a lost `proxy_buffering off`: this can.
    expect(gateway).toMatch(
      /location ~ \^\/users\/\[\^\/\]\+\/coupon-events\$ \{[^}]*proxy_buffering off;/,
    );
  });

  it("fills every placeholder of the gateway's template from the gateway's environment", () => {
    const template = readFileSync(join(root, 'infra', 'gateway', 'gateway.conf.template'), 'utf8');
    const placeholders = new Set([...template.matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => m[1]));
    const mount = services.gateway?.volumes?.[0] ?? '';
    expect(mount).toBe(
      './infra/gateway/gateway.conf.template:/etc/nginx/templates/default.conf.template:ro',
    );
    expect(Object.keys(services.gateway?.environment ?? {}).sort()).toEqual(
      [...placeholders].sort(),
    );
  });

  it('sheds floods at the gateway: a per-client limit_req answering 429 with the error body', () => {
    const gateway = readFileSync(join(root, 'infra', 'gateway', 'gateway.conf.template'), 'utf8');
    expect(gateway).toMatch(
      /limit_req zone=per_client burst=\$\{GATEWAY_BURST_PER_CLIENT\} nodelay;/,
    );
    expect(gateway).toMatch(/limit_req_status 429;/);
    expect(gateway).toMatch(/return 429 '\{"error":\{"code":"RATE_LIMITED"/);
    expect(services.gateway?.environment).toMatchObject({
      GATEWAY_RATE_PER_CLIENT: 50,
      GATEWAY_BURST_PER_CLIENT: 200,
    });
  });

  it('runs the APIs in production mode with shopper-token settings, secrets from .env only', () => {
    for (const name of ['coupon-api', 'order-api', 'analytics-worker']) {
      const env = services[name]?.environment ?? {};
      expect(env.NODE_ENV, name).toBe('production');
      expect(String(env.OPERATOR_API_KEY), name).toMatch(/^\$\{OPERATOR_API_KEY:\?/);
      expect(String(env.JWT_PUBLIC_KEY), name).toMatch(/^\$\{JWT_PUBLIC_KEY/);
      expect(String(env.JWT_JWKS_URL), name).toMatch(/^\$\{JWT_JWKS_URL/);
    }
  });
});
