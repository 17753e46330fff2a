import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..', '..');

/** One deployable service, as infra/apps.txt lists it. */
export interface AppEntry {
  name: string;
  /** Its workspace package, e.g. @commerce/order-api. */
  packageName: string;
  port: number;
  /** The database it uses, or undefined for none. */
  database: string | undefined;
  /** Its SQL migrations in the repository, or undefined for none. */
  migrations: string | undefined;
  /** A GET that answers 200 once the service is ready. */
  probe: string;
}

/** infra/apps.txt: the one list of the services (apps.sh, this test, the compose test). */
export function readApps(): AppEntry[] {
  const text = readFileSync(join(repoRoot, 'infra', 'apps.txt'), 'utf8');
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [name = '', port = '', database = '', migrations = '', probe = ''] = line.split(/\s+/);
      return {
        name,
        packageName: `@commerce/${name}`,
        port: Number(port),
        database: database === '-' ? undefined : database,
        migrations: migrations === '-' ? undefined : migrations,
        probe,
      };
    });
}

/**
 * Where a repository path ends up in a package's deployed folder: the package's own files at
 * the top, a workspace dependency's under node_modules/@commerce/<its folder>.
 */
export function deployedPath(app: AppEntry, repositoryPath: string): string {
  const own = `apps/${app.name}/`;
  if (repositoryPath.startsWith(own)) return repositoryPath.slice(own.length);
  const [, folder, ...rest] = repositoryPath.split('/');
  return join('node_modules', '@commerce', folder ?? '', ...rest);
}
