import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

/**
 * Runs a command from a deployed image folder as the container would: plain `node`, the
 * image's working directory, NODE_ENV=production and only the configuration given (nothing
 * from the test's own environment, so no workspace paths or source conditions leak in).
 */
export function runFromImage(appDir: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--disable-warning=TimeoutNegativeWarning', ...args], {
    cwd: appDir,
    env: { NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return { child, output: () => output };
}

/** Runs a one-shot job (migrations, topics, schemas) to its end; fails with its output. */
export async function runJob(appDir: string, args: string[], env: Record<string, string>) {
  const job = runFromImage(appDir, args, env);
  const [code] = (await once(job.child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}:\n${job.output()}`);
  return job.output();
}

/** Polls a URL until it answers 200, failing early if the process dies. */
export async function until200(url: string, process: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process.exitCode !== null) throw new Error(`exited with ${process.exitCode}`);
    const status = await fetch(url).then(
      (res) => res.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

export const migrateScript = join('node_modules', '@commerce', 'db', 'dist', 'cli', 'migrate.js');
