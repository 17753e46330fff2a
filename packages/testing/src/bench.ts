// Helpers of the benchmark scripts (bench/ folders): statistics and process CPU. Figures
// are compared as ratios measured side by side, so these only summarise runs.
import { readFileSync } from 'node:fs';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The p-th percentile (nearest rank) of xs; p = 100 is the maximum. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** The fields of /proc/<pid>/stat after the command name (Linux only). */
export function procStat(pid: number): string[] {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
}

/**
 * CPU time (user + system) a process has used so far, in ms (clock ticks of 10 ms). A
 * side's CPU per unit of work holds up better than its throughput on a shared machine.
 */
export function cpuMs(pid: number): number {
  const fields = procStat(pid);
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Polls `check` every `everyMs` until it holds; throws after `timeoutMs`. */
export async function waitFor(
  what: string,
  timeoutMs: number,
  check: () => Promise<boolean>,
  everyMs = 200,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Runs `tasks` with at most `limit` in flight; results in the tasks' order. */
export async function inParallel<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
  return results;
}

/** Resident memory of a process, in bytes (Linux /proc; 4 KiB pages). */
export function rssBytes(pid: number): number {
  return Number(procStat(pid)[21]) * 4096;
}
