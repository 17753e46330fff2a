import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import {
  checkCompatibility,
  deleteSubject,
  type RegistrationResult,
  registerAll,
} from './registration.ts';

/** What the schema files' folder knows of their history. */
export type GitHistory = 'full' | 'shallow' | 'none';

export function gitHistory(dir: string): GitHistory {
  try {
    const shallow = execFileSync('git', ['rev-parse', '--is-shallow-repository'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return shallow.trim() === 'true' ? 'shallow' : 'full';
  } catch {
    return 'none';
  }
}

/**
 * The last committed version of a schema file that differs from the working copy: what a
 * registry in production holds while this change is under review. Undefined for a new
 * schema (or one never changed since it was added).
 */
export function previousVersion(file: string): object | undefined {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dirname(file), encoding: 'utf8', stdio: 'pipe' });
  const commits = git('log', '--format=%H', '--', basename(file)).split('\n').filter(Boolean);
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

export interface SchemaFile {
  file: string;
  subject: string;
}

/**
 * Checks each schema file against its previous committed version in a scratch subject,
 * so the build catches an incompatible change with any registry, before deployment. The
 * scratch subjects are deleted afterwards.
 */
export async function checkAgainstHistory(
  registryUrl: string,
  entries: readonly SchemaFile[],
): Promise<RegistrationResult[]> {
  const scratch = `check-${randomUUID()}`;
  const results: RegistrationResult[] = [];
  for (const { file, subject } of entries) {
    const previous = previousVersion(file);
    if (!previous) continue;
    const current = JSON.parse(readFileSync(file, 'utf8'));
    const scratchSubject = `${scratch}.${subject}`;
    try {
      const [, result] = await registerAll(registryUrl, [
        { subject: scratchSubject, schema: previous },
        { subject: scratchSubject, schema: current },
      ]);
      if (result) results.push({ ...result, subject });
    } finally {
      await deleteSubject(registryUrl, scratchSubject);
    }
  }
  return results;
}

/** Checks each schema file against the version the registry holds under its real subject. */
export async function checkAgainstRegistry(
  registryUrl: string,
  entries: readonly SchemaFile[],
): Promise<RegistrationResult[]> {
  const results: RegistrationResult[] = [];
  for (const { file, subject } of entries) {
    const schema = JSON.parse(readFileSync(file, 'utf8'));
    results.push(await checkCompatibility(registryUrl, { subject, schema }));
  }
  return results;
}

/**
 * The build's compatibility check. With the whole git history, against each schema's
 * previous committed version. A shallow clone or a source tarball has no such history, so
 * there the check is against what the target registry holds (which is what matters when
 * deploying); `against` says which check ran, so the build log never hides it.
 */
export async function checkSchemas(
  registryUrl: string,
  entries: readonly SchemaFile[],
): Promise<{ against: 'git history' | 'registry'; results: RegistrationResult[] }> {
  const [first] = entries;
  if (first && gitHistory(dirname(first.file)) === 'full')
    return { against: 'git history', results: await checkAgainstHistory(registryUrl, entries) };
  return { against: 'registry', results: await checkAgainstRegistry(registryUrl, entries) };
}
