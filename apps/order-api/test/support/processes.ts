import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

/** apps/<name>: order-api and ranking-worker run from their own folders, as deployed. */
export const appDir = (name: 'order-api' | 'ranking-worker') =>
  join(import.meta.dirname, '..', '..', '..', name);

export interface ServiceProcess {
  port: number;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal) once the process is gone. */
  exited: Promise<number | string>;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Starts an app from its TypeScript source in a Node process of its own, configured by
 * environment variables, and resolves once it logs `<name> started` (with its port).
 */
export async function startService(
  name: 'order-api' | 'ranking-worker',
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<ServiceProcess> {
  const child = spawn(
    process.execPath,
    ['--disable-warning=TimeoutNegativeWarning', '--conditions=@commerce/source', 'src/main.ts'],
    {
      cwd: appDir(name),
      env: { ...process.env, ...env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start in ${timeoutMs} ms:\n${output.slice(-3_000)}`)),
      timeoutMs,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of chunk.toString().split('\n')) {
        if (!line.includes(`"${name} started"`)) continue;
        clearTimeout(timer);
        resolve(JSON.parse(line).port);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) while starting:\n${output.slice(-3_000)}`));
    });
  });
  return {
    port,
    child,
    exited,
    output: () => output,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** How many order-completed events a ranking-worker counted (duplicates it dropped are not). */
export async function countedByRanking(worker: ServiceProcess): Promise<number> {
  const metrics = await (await fetch(`http://127.0.0.1:${worker.port}/metrics`)).text();
  return Number(metrics.match(/ranking_events_total\{outcome="counted"[^}]*\} (\d+)/)?.[1] ?? 0);
}

export { once };
