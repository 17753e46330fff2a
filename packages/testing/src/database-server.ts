import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './broker.ts';
import { run, stackCommand } from './dedicated-stack.ts';
import { stackAddresses } from './stack.ts';

export interface DedicatedDatabaseServer {
  /** Where it listens, with the stack's user and password. */
  mysql: { host: string; port: number; user: string; password: string };
  /** Stops the server (a clean shutdown); its data stays, so start() brings it back. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and forgets its data. */
  destroy(): Promise<void>;
}

/**
 * A MariaDB server of its own for fault tests (stop it under load, start it again), started
 * by the stack script the same way as the shared one (infra/local/lib/mariadb.sh).
 */
export async function startDedicatedDatabaseServer(): Promise<DedicatedDatabaseServer> {
  const stateDir = await mkdtemp(join(tmpdir(), 'mariadb-'));
  const { mysql } = stackAddresses();
  const port = await freePort();
  const stack = stackCommand({
    ...process.env,
    COMMERCE_STACK_DIR: stateDir,
    MYSQL_PORT: String(port),
    STACK_START_TIMEOUT: '120',
  });
  await stack('up', 'mariadb');
  return {
    mysql: { ...mysql, host: '127.0.0.1', port },
    stop: () => stack('down', 'mariadb'),
    start: () => stack('up', 'mariadb'),
    destroy: async () => {
      await stack('down', 'mariadb');
      await run('rm', ['-rf', stateDir]);
    },
  };
}
