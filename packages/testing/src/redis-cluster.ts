import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './bench.ts';
import { freePort } from './broker.ts';

const run = promisify(execFile);

export interface LocalRedisCluster {
  /** The seed nodes, as a comma-separated REDIS_URL lists them. */
  url: string;
  nodes: { host: string; port: number }[];
  stop(): Promise<void>;
}

/**
 * A real Redis Cluster of three masters (no replicas) for the tests of cluster mode: the
 * stack's redis-server binary started three times on free ports in a folder of its own,
 * joined with `redis-cli --cluster create`. stop() ends those three processes only.
 */
export async function startRedisCluster(): Promise<LocalRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-cluster-'));
  const processes: ChildProcess[] = [];
  const nodes: { host: string; port: number }[] = [];
  const stop = async () => {
    await Promise.all(
      processes.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--cluster-enabled',
          'yes',
          '--cluster-port',
          String(await freePort()),
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--dir',
          dir,
          '--save',
          '',
          '--appendonly',
          'no',
          '--bind',
          '127.0.0.1',
        ],
        { stdio: 'ignore' },
      );
      processes.push(child);
      nodes.push({ host: '127.0.0.1', port });
    }
    const addresses = nodes.map((n) => `${n.host}:${n.port}`);
    const answers =
      (...args: string[]) =>
      async () => {
        for (const n of nodes) {
          const { stdout } = await run('redis-cli', ['-p', String(n.port), ...args]).catch(() => ({
            stdout: '',
          }));
          if (!stdout.includes(args[0] === 'ping' ? 'PONG' : 'cluster_state:ok')) return false;
        }
        return true;
      };
    await waitFor('redis cluster nodes up', 20_000, answers('ping'), 100);
    await run('redis-cli', [
      '--cluster',
      'create',
      ...addresses,
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await waitFor('redis cluster ready', 20_000, answers('cluster', 'info'), 100);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: nodes.map((n) => `redis://${n.host}:${n.port}`).join(','), nodes, stop };
}
