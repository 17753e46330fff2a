import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const run = promisify(execFile);
const stackScript = join(import.meta.dirname, '..', '..', '..', 'infra', 'local', 'stack.sh');

/**
 * The project's stack script (infra/local/stack.sh) with `env`: fault tests start services
 * of their own with it, in a stack dir of their own and on free ports, so stopping or
 * killing them disturbs no other test.
 */
export function stackCommand(env: NodeJS.ProcessEnv) {
  return async (...args: string[]): Promise<void> => {
    await run('bash', [stackScript, ...args], { env });
  };
}
