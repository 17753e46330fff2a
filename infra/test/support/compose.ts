import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './apps.ts';

export interface ComposeService {
  image?: string;
  build?: { dockerfile: string; args?: { PACKAGE?: string; ENTRY?: string } };
  command?: string[];
  environment?: Record<string, string | number>;
  healthcheck?: { test: unknown };
  restart?: string;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  networks?: Record<string, { ipv4_address?: string }>;
}

/** docker-compose.yml's text, and parsed with YAML merge keys resolved as Compose does. */
export const composeText = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
export const compose = parse(composeText, { merge: true }) as {
  services: Record<string, ComposeService>;
};
export const services = compose.services;
