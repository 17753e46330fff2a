import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readApps, repoRoot } from './support/apps.ts';

// docker-compose.yml loaded by compose-go, the library Docker Compose loads files with
// (infra/compose-check): what `docker compose config` would say, without a Docker engine.

const run = promisify(execFile);
const workDir = mkdtempSync(join(tmpdir(), 'compose-check-'));
const checker = join(workDir, 'compose-check');
const envExample = readFileSync(join(repoRoot, '.env.example'), 'utf8');

beforeAll(async () => {
  await run('go', ['build', '-o', checker, '.'], {
    cwd: join(repoRoot, 'infra', 'compose-check'),
    timeout: 240_000,
  });
}, 300_000);
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

async function load(envText: string) {
  const envFile = join(workDir, `env-${Math.random().toString(36).slice(2)}`);
  writeFileSync(envFile, envText);
  return run(checker, [repoRoot, envFile], { maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stdout }) => ({ ok: true as const, project: JSON.parse(stdout) }),
    (err: { stderr?: string }) => ({ ok: false as const, error: err.stderr ?? String(err) }),
  );
}

describe('docker-compose.yml as Docker Compose loads it', () => {
  it('is valid with .env.example: schema, interpolation, references between services', async () => {
    const result = await load(envExample);
    expect(result.ok, result.ok ? '' : result.error).toBe(true);
    if (!result.ok) return;
    const services = result.project.services as Record<string, Record<string, unknown>>;
    for (const app of readApps()) expect(Object.keys(services)).toContain(app.name);
    expect(services.gateway?.environment).toMatchObject({ GATEWAY_UPSTREAM_RESOLVE: 'resolve' });
    expect(services['coupon-api']?.environment).toMatchObject({
      OPERATOR_API_KEY: 'change-me-operator-key-please',
      DATABASE_URL: 'mysql://commerce:change-me-commerce@mysql:3306/coupon',
    });
  });

  it('when a secret is missing from .env, then it refuses and names the variable', async () => {
    const result = await load(envExample.replace(/^OPERATOR_API_KEY=.*$/m, ''));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(/required variable OPERATOR_API_KEY is missing/);
  });
});
