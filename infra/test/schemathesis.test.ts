import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseDatabaseUrl } from '@commerce/db';
import { createConnection } from 'mariadb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSystem, operatorKey, startApiSystem } from './support/api-system.ts';
import { repoRoot } from './support/apps.ts';

// schemathesis (infra/local/schemathesis.sh, pinned) against coupon-api's and order-api's own
// /openapi.json, through the gateway, with a shopper's token and the operator key: every
// check it has, examples, coverage, fuzzing and stateful phases. Any failure it reports fails
// the test, and afterwards each database holds exactly the rows of the requests it accepted.

const run = promisify(execFile);
const script = join(repoRoot, 'infra', 'local', 'schemathesis.sh');
const config = join(repoRoot, 'infra', 'local', 'schemathesis', 'schemathesis.toml');
// Small enough that the three runs take well under 3 minutes on a 2-core machine.
const MAX_EXAMPLES = '10';
const shopperId = 'st-shopper';
const reports = mkdtempSync(join(tmpdir(), 'schemathesis-'));

let system: ApiSystem;
let env: Record<string, string>;

beforeAll(async () => {
  await run('bash', [script, 'install'], { timeout: 300_000 });
  system = await startApiSystem();
  env = {
    ST_SHOPPER_TOKEN: await system.idp.mint(shopperId, { expiresInSeconds: 3_600 }),
    ST_SHOPPER_ID: shopperId,
    ST_OPERATOR_KEY: operatorKey,
  };
}, 420_000);

afterAll(async () => {
  await system?.close();
  rmSync(reports, { recursive: true, force: true });
}, 120_000);

interface HarEntry {
  request: { method: string; url: string };
  response: { status: number; content: { text?: string } };
}

/** Runs schemathesis; resolves with the exchanges it made, rejects with its report on any failure. */
async function schemathesis(name: string, schema: string, baseUrl: string, filter: string[]) {
  const har = join(reports, `${name}.har`);
  // schemathesis.sh run ARGS runs `schemathesis ARGS`; --config-file is a global option.
  const args = [
    'run',
    `--config-file=${config}`,
    'run',
    schema,
    `--url=${baseUrl}`,
    ...filter,
    '--checks=all',
    `--max-examples=${MAX_EXAMPLES}`,
    '--workers=1',
    '--request-timeout=5',
    '--report=har',
    `--report-har-path=${har}`,
    '--no-color',
  ];
  const started = Date.now();
  try {
    const { stdout } = await run('bash', [script, ...args], {
      env: { ...process.env, ...env },
      // Its cache folder (.schemathesis) lands here, not in the clone.
      cwd: reports,
      timeout: 170_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    console.info(
      `schemathesis ${name}: ${stdout.trim().split('\n').at(-1)} (${Date.now() - started} ms)`,
    );
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(
      `schemathesis found failures in ${name}:\n${stdout.slice(-20_000)}\n${stderr.slice(-2_000)}`,
    );
  }
  const { log } = JSON.parse(readFileSync(har, 'utf8')) as { log: { entries: HarEntry[] } };
  return log.entries;
}

/** The `field` of each JSON answer of `method path` with `status`. */
function accepted(
  entries: HarEntry[],
  method: string,
  path: RegExp,
  status: number,
  field: string,
) {
  const ids = new Set<string>();
  for (const { request, response } of entries) {
    if (request.method !== method || response.status !== status) continue;
    if (!path.test(new URL(request.url).pathname)) continue;
    ids.add(JSON.parse(response.content.text ?? '{}')[field]);
  }
  return [...ids].sort();
}

async function column(databaseUrl: string, sql: string): Promise<string[]> {
  const conn = await createConnection(parseDatabaseUrl(databaseUrl));
  try {
    const rows = (await conn.query(sql)) as Record<string, string>[];
    return rows.map((row) => String(Object.values(row)[0])).sort();
  } finally {
    await conn.end();
  }
}

describe('schemathesis against the APIs through the gateway', () => {
  it('when it fuzzes coupon-api, then no check fails and only accepted requests wrote rows', async () => {
    const gateway = system.gateway;
    const schema = `${gateway}/ops/coupon-api/openapi.json`;
    const entries = [
      ...(await schemathesis('coupon-api', schema, gateway, ['--exclude-path-regex=^/ops/'])),
      // The operators' dead-letter routes are served under the service's /ops/ prefix.
      ...(await schemathesis('coupon-api-ops', schema, `${gateway}/ops/coupon-api`, [
        '--include-path-regex=^/ops/',
      ])),
    ];
    const db = system.databases.coupon.url;
    expect(await column(db, 'SELECT id FROM coupons')).toEqual(
      accepted(entries, 'POST', /^\/coupons$/, 201, 'id'),
    );
    // Accepted requests are logged by a group commit: give the last one a moment.
    const requests = accepted(entries, 'POST', /^\/coupons\/issue$/, 202, 'requestId');
    await expect
      .poll(() => column(db, 'SELECT request_id FROM coupon_requests'), { timeout: 5_000 })
      .toEqual(requests);
  }, 360_000);

  it('when it fuzzes order-api, then no check fails and only accepted requests wrote rows', async () => {
    const gateway = system.gateway;
    const entries = await schemathesis(
      'order-api',
      `${gateway}/ops/order-api/openapi.json`,
      gateway,
      [],
    );
    const db = system.databases.orders.url;
    expect(await column(db, 'SELECT id FROM products')).toEqual(
      accepted(entries, 'POST', /^\/products$/, 201, 'id'),
    );
    expect(await column(db, 'SELECT id FROM orders')).toEqual(
      accepted(entries, 'POST', /^\/orders$/, 201, 'id'),
    );
    expect(await column(db, 'SELECT id FROM payments')).toEqual(
      accepted(entries, 'POST', /^\/orders\/[^/]+\/pay$/, 200, 'paymentId'),
    );
  }, 240_000);
});
