import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const stackScript = join(import.meta.dirname, '..', '..', 'local', 'stack.sh');

/**
 * Runs infra/local/stack.sh with its own stack folder (pid files, logs, rendered configs),
 * so what a test starts or stops never touches the shared stack other tests use.
 */
export function localStack(stateDir: string, env: Record<string, string>) {
  return async (...args: string[]) => {
    const { stdout } = await run('bash', [stackScript, ...args], {
      env: { ...process.env, ...env, COMMERCE_STACK_DIR: stateDir },
      timeout: 60_000,
    });
    return stdout;
  };
}
