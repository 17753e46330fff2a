import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, stackCommand } from './dedicated-stack.ts';

function listenOn(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
      .once('error', reject)
      .listen(port, '127.0.0.1', () => {
        const address = server.address();
        server.close(() =>
          typeof address === 'object' && address
            ? resolve(address.port)
            : reject(new Error('no port')),
        );
      });
  });
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return listenOn(0);
}

/** The first of `size` consecutive ports nobody listens on right now. */
export async function freePortBlock(size: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    // Below Linux's ephemeral range (32768-60999): a client's outgoing socket can otherwise
    // take the port of a killed node, and the node cannot listen there again.
    const base = 20_000 + Math.floor(Math.random() * (32_000 - 20_000));
    const ports = Array.from({ length: size }, (_, i) => base + i);
    const taken = await Promise.all(
      ports.map((port) =>
        listenOn(port).then(
          () => false,
          () => true,
        ),
      ),
    );
    if (!taken.includes(true)) return base;
  }
  throw new Error(`no ${size} consecutive free ports found`);
}

export interface DedicatedCluster {
  /** Every node's client address, node 1 first. */
  brokers: string[];
  /** Kills node `node` (from 1) at once (SIGKILL), as a crash would. */
  kill(node: number): Promise<void>;
  /** Stops node `node` gracefully (SIGTERM); its data stays, so start() brings it back. */
  stop(node: number): Promise<void>;
  /**
   * Freezes node `node` (SIGSTOP): its sockets stay open and nothing answers, as behind a
   * network black hole or in a long pause. thaw() lets it go on (SIGCONT).
   */
  freeze(node: number): Promise<void>;
  thaw(node: number): Promise<void>;
  /** Starts node `node` again and waits until it serves. */
  start(node: number): Promise<void>;
  /** Stops every node and forgets their data. */
  destroy(): Promise<void>;
}

/**
 * A real Kafka cluster of its own for fault tests, started by the project's stack script
 * (KAFKA_NODES, see infra/local/lib/kafka.sh) in its own stack dir on free ports, so
 * killing its nodes disturbs no other test. Three or more nodes get the container stack's
 * replication settings (internal topics RF 3, min ISR 2).
 */
export async function startDedicatedCluster(nodes = 3): Promise<DedicatedCluster> {
  const stateDir = await mkdtemp(join(tmpdir(), 'kafka-'));
  // Node i listens on KAFKA_PORT + 2(i-1) and KAFKA_CONTROLLER_PORT + 2(i-1): one block.
  const base = await freePortBlock(2 * nodes);
  const brokers = Array.from({ length: nodes }, (_, i) => `127.0.0.1:${base + 2 * i}`);
  const env = {
    ...process.env,
    COMMERCE_STACK_DIR: stateDir,
    KAFKA_NODES: String(nodes),
    KAFKA_PORT: String(base),
    KAFKA_CONTROLLER_PORT: String(base + 1),
    KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m',
    KAFKA_BROKERS: brokers.join(','),
    // A loaded CI machine starts three JVMs slowly.
    STACK_START_TIMEOUT: '300',
  };
  const stack = stackCommand(env);
  const service = (node: number) => {
    if (!Number.isInteger(node) || node < 1 || node > nodes) throw new Error(`no node ${node}`);
    return nodes === 1 ? 'kafka' : `kafka-${node}`;
  };
  const pidOf = async (node: number) =>
    Number(await readFile(join(stateDir, 'run', `${service(node)}.pid`), 'utf8'));
  await stack('up', 'kafka');
  return {
    brokers,
    kill: async (node) => {
      process.kill(await pidOf(node), 'SIGKILL');
      await stack('down', service(node)); // waits until it is gone, forgets the pid file
    },
    freeze: async (node) => {
      process.kill(await pidOf(node), 'SIGSTOP');
    },
    thaw: async (node) => {
      process.kill(await pidOf(node), 'SIGCONT');
    },
    stop: (node) => stack('down', service(node)),
    start: (node) => stack('up', service(node)),
    destroy: async () => {
      await stack('down', 'kafka');
      await run('rm', ['-rf', stateDir]);
    },
  };
}

export interface DedicatedBroker {
  brokers: string[];
  /** Stops the broker gracefully (SIGTERM); its data stays, so start() brings the same cluster back. */
  stop(): Promise<void>;
  /** Kills the broker at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Freezes the broker (SIGSTOP: connections open, no answers) until thaw(). */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and forgets its data. */
  destroy(): Promise<void>;
}

/**
 * A real Kafka broker of its own for fault tests (stop, kill, restart): a one-node
 * dedicated cluster, so stopping it disturbs no other test.
 */
export async function startDedicatedBroker(): Promise<DedicatedBroker> {
  const cluster = await startDedicatedCluster(1);
  return {
    brokers: cluster.brokers,
    stop: () => cluster.stop(1),
    kill: () => cluster.kill(1),
    freeze: () => cluster.freeze(1),
    thaw: () => cluster.thaw(1),
    start: () => cluster.start(1),
    destroy: () => cluster.destroy(),
  };
}
