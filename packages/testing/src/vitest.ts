import { defineConfig, type ViteUserConfig } from 'vitest/config';

/**
 * The base vitest config of every package: workspace packages resolve to their
 * TypeScript source (the `@commerce/source` export condition), so tests need no build.
 */
export function vitestConfig(overrides: ViteUserConfig['test'] = {}): ViteUserConfig {
  const conditions = ['@commerce/source', 'node', 'import', 'module', 'default'];
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@commerce/source'] } },
    test: {
      testTimeout: 30_000,
      hookTimeout: 60_000,
      ...overrides,
    },
  });
}
