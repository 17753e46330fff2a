// The promises the demo checks, and the summary table it ends with.

interface Check {
  promise: string;
  held: boolean;
  seen: string;
}
const checks: Check[] = [];

export type CheckFn = (promise: string, held: boolean, seen: string) => void;

export const check: CheckFn = (promise, held, seen) => {
  checks.push({ promise, held, seen });
};

/** Prints every promise with what was seen; true when all held. */
export function summary(): boolean {
  const width = Math.max(...checks.map((c) => c.promise.length));
  const seenWidth = Math.max(...checks.map((c) => c.seen.length));
  const rule = `  +${'-'.repeat(width + 2)}+${'-'.repeat(seenWidth + 2)}+--------+`;
  console.log(`\nSummary\n${rule}`);
  console.log(`  | ${'promise'.padEnd(width)} | ${'seen'.padEnd(seenWidth)} | result |\n${rule}`);
  for (const c of checks)
    console.log(
      `  | ${c.promise.padEnd(width)} | ${c.seen.padEnd(seenWidth)} | ${(c.held ? 'ok' : 'FAILED').padEnd(6)} |`,
    );
  console.log(rule);
  return checks.every((c) => c.held);
}
