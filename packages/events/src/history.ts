import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { type RegistrationResult, registerAll } from './registration.ts';

/**
 * The last committed version of a schema file that differs from the working copy: what a
 * registry in production holds while this change is under review. Undefined for a new
 * schema, or outside a git checkout where there is no history to compare with.
 */
export function previousVersion(file: string): object | undefined {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dirname(file), encoding: 'utf8', stdio: 'pipe' });
  let commits: string[];
  try {
    commits = git('log', '--format=%H', '--', basename(file)).split('\n').filter(Boolean);
  } catch {
    return undefined;
  }
  const current = normalise(readFileSync(file, 'utf8'));
  for (const commit of commits) {
    let text: string;
    try {
      text = git('show', `${commit}:./${basename(file)}`);
    } catch {
      continue; // the commit deleted the file
    }
    if (normalise(text) !== current) return JSON.parse(text);
  }
  return undefined;
}

function normalise(json: string): string {
  return JSON.stringify(JSON.parse(json));
}

/**
 * Checks each schema file against its previous committed version in a scratch subject,
 * so the build catches an incompatible change with any registry, before deployment.
 */
export async function checkAgainstHistory(
  registryUrl: string,
  entries: readonly { file: string; subject: string }[],
): Promise<RegistrationResult[]> {
  const scratch = `check-${randomUUID()}`;
  const results: RegistrationResult[] = [];
  for (const { file, subject } of entries) {
    const previous = previousVersion(file);
    if (!previous) continue;
    const current = JSON.parse(readFileSync(file, 'utf8'));
    const [, result] = await registerAll(registryUrl, [
      { subject: `${scratch}.${subject}`, schema: previous },
      { subject: `${scratch}.${subject}`, schema: current },
    ]);
    if (result) results.push({ ...result, subject });
  }
  return results;
}
