import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const stackScript = join(import.meta.dirname, '..', '..', '..', 'infra', 'local', 'stack.sh');

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export interface DedicatedBroker {
  brokers: string[];
  /** Stops the broker gracefully (SIGTERM); its data stays, so start() brings the same cluster back. */
  stop(): Promise<void>;
  /** Kills the broker at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and forgets its data. */
  destroy(): Promise<void>;
}

/**
 * A real Kafka broker of its own for fault tests (stop, kill, restart), started by the
 * project's stack script on free ports, so stopping it disturbs no other test.
 */
export async function startDedicatedBroker(): Promise<DedicatedBroker> {
  const stateDir = await mkdtemp(join(tmpdir(), 'kafka-'));
  const kafkaPort = await freePort();
  const env = {
    ...process.env,
    COMMERCE_STACK_DIR: stateDir,
    KAFKA_PORT: String(kafkaPort),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m',
    KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`,
  };
  const stack = (...args: string[]) => run('bash', [stackScript, ...args], { env });
  const start = async () => {
    await stack('up', 'kafka');
  };
  await start();
  return {
    brokers: [`127.0.0.1:${kafkaPort}`],
    stop: async () => {
      await stack('down', 'kafka');
    },
    kill: async () => {
      const pid = Number(await readFile(join(stateDir, 'run', 'kafka.pid'), 'utf8'));
      process.kill(pid, 'SIGKILL');
      await stack('down', 'kafka'); // forgets the pid file
    },
    start,
    destroy: async () => {
      await stack('down', 'kafka');
      await run('rm', ['-rf', stateDir]);
    },
  };
}
