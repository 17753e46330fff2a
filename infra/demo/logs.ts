// No secret in any service's log: the operator key and the shoppers' tokens the demo used.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckFn } from './checks.ts';
import { operator } from './http.ts';

const services = [
  'coupon-api',
  'coupon-worker',
  'order-api',
  'ranking-worker',
  'analytics-worker',
  'webhook-relay',
];

export function logsHoldNoSecrets(tokens: Map<string, string>, check: CheckFn) {
  const logs = join(
    process.env.COMMERCE_STACK_DIR ?? join(import.meta.dirname, '..', '..', '.stack'),
    'logs',
  );
  const secrets = [operator['x-api-key'], ...[...tokens.values()].slice(0, 50)];
  const leaking = services
    .map((service) => ({ service, file: join(logs, `${service}.log`) }))
    .filter(({ file }) => existsSync(file))
    .filter(({ file }) => {
      const text = readFileSync(file, 'utf8');
      return secrets.some((secret) => text.includes(secret));
    })
    .map(({ service }) => service);
  check(
    'no key or token in the logs',
    leaking.length === 0,
    leaking.join(', ') || `none in ${services.length} logs`,
  );
}
