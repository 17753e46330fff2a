import { join } from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../config.ts';

const repositoryRoot = join(import.meta.dirname, '..', '..', '..', '..');

const schema = z.object({
  /** The local stack's folder (git-ignored); the key pair lives in its jwt/ folder. */
  COMMERCE_STACK_DIR: z.string().min(1).default(join(repositoryRoot, '.stack')),
});

export function readMintTokenConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(schema, env);
}
