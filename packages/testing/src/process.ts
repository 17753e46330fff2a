import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { waitFor } from './bench.ts';

export interface ServiceProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything the process printed, for a failing test's message. */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts a service the way it runs in production (its own Node process, configured by
 * environment variables) from its TypeScript source, and resolves once it logged
 * `readyMessage`. Tests kill and restart these to prove what survives a crash.
 */
export async function startServiceProcess(options: {
  name: string;
  entry: string;
  env: Record<string, string>;
  readyMessage: string;
  timeoutMs?: number;
}): Promise<ServiceProcess> {
  const child = spawn(
    process.execPath,
    ['--disable-warning=TimeoutNegativeWarning', '--conditions=@commerce/source', options.entry],
    {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `${options.name} did not start within ${options.timeoutMs ?? 60_000} ms:\n${output.slice(-4_000)}`,
          ),
        ),
      options.timeoutMs ?? 60_000,
    );
    const check = () => {
      if (output.includes(options.readyMessage)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(`${options.name} exited with ${code} during start-up:\n${output.slice(-4_000)}`),
      );
    });
  });

  return {
    name: options.name,
    child,
    output: () => output,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}

/** How a signalled process ended: its exit code (null when the signal killed it) and when. */
export interface SignalledExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Milliseconds from the signal to the exit. */
  exitMs: number;
}

/**
 * The fault suite's kill mid-batch: waits (bounded) until `midBatch()` holds (the worker
 * has applied part of a batch and not all of it), sends `signal`, and resolves once the
 * process exited, with how and how long after the signal.
 */
export async function signalMidBatch(
  process: ServiceProcess,
  signal: NodeJS.Signals,
  midBatch: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<SignalledExit> {
  const { child } = process;
  await waitFor(`${process.name} mid-batch`, timeoutMs, midBatch, 20);
  if (child.exitCode !== null || child.signalCode !== null)
    throw new Error(
      `${process.name} exited before the ${signal}:\n${process.output().slice(-4_000)}`,
    );
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const sentAt = performance.now();
  child.kill(signal);
  const [code, signalCode] = await exited;
  return { code, signal: signalCode, exitMs: performance.now() - sentAt };
}

/**
 * Which `secrets` (name → value) appear in which process's output: none should, whatever
 * the processes logged (redaction is the promise; this is the check).
 */
export function leakedSecrets(
  processes: readonly Pick<ServiceProcess, 'name' | 'output'>[],
  secrets: Record<string, string>,
): string[] {
  const leaks: string[] = [];
  for (const { name, output } of processes) {
    const text = output();
    for (const [secret, value] of Object.entries(secrets)) {
      if (value && text.includes(value)) leaks.push(`${secret} in the log of ${name}`);
    }
  }
  return leaks;
}
