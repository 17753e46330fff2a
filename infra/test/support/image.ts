import { execFile } from 'node:child_process';
import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './apps.ts';

const run = promisify(execFile);
const recipe = join(repoRoot, 'infra', 'docker', 'recipe.sh');
// The workspaces on this machine share one pnpm store; installs take turns on it.
const pnpmLock = '/tmp/commerce-pnpm.lock';

async function step(cwd: string, args: string[], timeoutMs: number) {
  try {
    await run(args[0] as string, args.slice(1), {
      cwd,
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        ...process.env,
        // The workspace's turbo, as the image's global one; no source condition in builds.
        PATH: `${join(repoRoot, 'node_modules', '.bin')}:${process.env.PATH}`,
        NODE_OPTIONS: '',
      },
    });
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(
      `${args.join(' ')} failed in ${cwd}:\n${stdout.slice(-3_000)}\n${stderr.slice(-3_000)}`,
    );
  }
}

/**
 * The Dockerfile's stages without Docker, with infra/docker/recipe.sh's own steps: prune the
 * repository for the package, install the cut lockfile from the machine's pnpm store where
 * it can (as the image's layer would from the registry; `--prefer-offline`: pnpm checks a cut
 * lockfile against its supply-chain policies anew, and fetches the full metadata of a package
 * it has not checked on this machine before), copy the sources over, build, and
 * deploy to `<workDir>/app`, which is what the image holds. `turboCache` lets images share
 * compiled workspace packages, as Docker's layer cache would not, to keep the test short.
 */
export async function buildImage(packageName: string, workDir: string, turboCache: string) {
  const out = join(workDir, 'out');
  const build = join(workDir, 'build');
  const app = join(workDir, 'app');
  await step(repoRoot, ['sh', recipe, 'prune', packageName, out], 60_000);
  await mkdir(build, { recursive: true });
  await cp(join(out, 'json'), build, { recursive: true });
  await step(build, ['flock', pnpmLock, 'sh', recipe, 'install', '--prefer-offline'], 180_000);
  await cp(join(out, 'full'), build, { recursive: true });
  await step(
    build,
    ['sh', recipe, 'build', packageName, `--cache-dir=${turboCache}`, '--output-logs=errors-only'],
    300_000,
  );
  await step(
    build,
    ['flock', pnpmLock, 'sh', recipe, 'deploy', packageName, app, '--prefer-offline'],
    180_000,
  );
  return app;
}
