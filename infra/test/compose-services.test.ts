import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployedPath, readApps, repoRoot } from './support/apps.ts';
import { composeText, services } from './support/compose.ts';

// docker-compose.yml against the one list of services (infra/apps.txt) and its own promises:
// start order, configuration from .env, the gateway as the only trusted proxy.

const apps = readApps();
const envExample = readFileSync(join(repoRoot, '.env.example'), 'utf8');

describe('docker-compose.yml and infra/apps.txt', () => {
  it('runs every listed service from its own image, on its port, healthy when ready', () => {
    for (const app of apps) {
      const service = services[app.name];
      expect(service, app.name).toBeDefined();
      expect(service?.image).toBe(`commerce/${app.name}`);
      expect(service?.build?.args).toEqual({ PACKAGE: app.packageName, ENTRY: 'dist/main.js' });
      expect(service?.environment?.PORT).toBe(app.port);
      expect(JSON.stringify(service?.healthcheck?.test)).toContain(
        `http://127.0.0.1:${app.port}/readyz`,
      );
    }
  });

  it('migrates each database from inside its service image before the service starts', () => {
    for (const app of apps.filter((a) => a.migrations)) {
      const [job, jobService] =
        Object.entries(services).find(
          ([name, s]) =>
            name.endsWith('-migrate') &&
            String(s.environment?.DATABASE_URL).endsWith(`/${app.database}`),
        ) ?? [];
      expect(job, `${app.name}: a migration job`).toBeDefined();
      expect(jobService?.restart).toBe('no');
      expect(services[app.name]?.depends_on?.[job as string]).toEqual({
        condition: 'service_completed_successfully',
      });
      // The job runs in an image that holds these migrations where this path says.
      const image = (jobService?.image ?? '').replace('commerce/', '');
      const owner = apps.find((a) => a.name === image);
      expect(jobService?.command?.at(-1)).toBe(deployedPath(owner ?? app, app.migrations ?? ''));
    }
  });

  it('starts the services after the topics and schemas jobs, the gateway after the APIs', () => {
    for (const app of apps) {
      expect(services[app.name]?.depends_on).toMatchObject({
        topics: { condition: 'service_completed_successfully' },
        schemas: { condition: 'service_completed_successfully' },
      });
    }
    expect(Object.keys(services.gateway?.depends_on ?? {}).sort()).toEqual([
      'analytics-worker',
      'coupon-api',
      'order-api',
    ]);
    for (const [name, service] of Object.entries(services))
      for (const dependency of Object.keys(service.depends_on ?? {}))
        expect(services[dependency], `${name} depends on ${dependency}`).toBeDefined();
  });

  it("trusts X-Forwarded-* from the gateway's fixed address only", () => {
    const gatewayAddress = services.gateway?.networks?.default?.ipv4_address;
    expect(gatewayAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    for (const api of ['coupon-api', 'order-api', 'analytics-worker'])
      expect(services[api]?.environment?.TRUSTED_PROXIES, api).toBe(gatewayAddress);
  });

  it('takes every variable it interpolates from .env, each documented in .env.example', () => {
    const used = new Set([...composeText.matchAll(/(?<!\$)\$\{([A-Z_]+)/g)].map((m) => m[1]));
    const documented = new Set([...envExample.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]));
    expect([...used].sort()).toEqual([...documented].sort());
    // Secrets have no default: compose refuses to start until .env sets them.
    for (const secret of ['OPERATOR_API_KEY', 'MYSQL_PASSWORD', 'MYSQL_ROOT_PASSWORD'])
      expect(composeText).toMatch(new RegExp(`\\$\\{${secret}:\\?`));
  });

  it('runs webhook-relay on 3003 after its migration, behind the gateway route', () => {
    expect(services['webhook-relay']?.environment?.PORT).toBe(3003);
    expect(services['webhook-relay']?.depends_on).toHaveProperty('webhook-migrate');
    expect(services.gateway?.environment?.WEBHOOK_RELAY_UPSTREAM).toBe('webhook-relay:3003');
  });
});
