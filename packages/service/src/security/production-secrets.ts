/**
 * Operator keys that appear in this repository (scripts, compose file, docs): anyone can
 * read them, so a production service must never accept them.
 */
export const publicOperatorKeys: readonly string[] = [
  'local-operator-key-change-me',
  'compose-operator-key-change-me',
];

/** A production operator key is at least this long (e.g. `openssl rand -hex 32` gives 64). */
export const productionOperatorKeyLength = 32;

/**
 * The one check of secrets a production deployment must not run with; loadConfig applies it
 * to every service's environment. Outside production (NODE_ENV other than "production")
 * local and test keys are fine.
 */
export function productionSecretProblems(env: Record<string, string | undefined>): string[] {
  if (env.NODE_ENV !== 'production') return [];
  const key = env.OPERATOR_API_KEY;
  if (key === undefined) return [];
  if (publicOperatorKeys.includes(key) || /change-?me/i.test(key)) {
    return [
      'OPERATOR_API_KEY: refusing to start in production with a published default key; set a random secret (e.g. openssl rand -hex 32)',
    ];
  }
  if (key.length < productionOperatorKeyLength) {
    return [
      `OPERATOR_API_KEY: refusing to start in production with a key of ${key.length} characters; use at least ${productionOperatorKeyLength} (e.g. openssl rand -hex 32)`,
    ];
  }
  return [];
}
