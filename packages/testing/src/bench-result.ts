// The benchmark scripts' figures in machine-readable form, for `pnpm bench:report`: with
// BENCH_RESULT_FILE set, a script appends its figures (a JSON array) to that file; without
// it, nothing is written. Each figure is a measurement beside its anchor (what it is
// compared with in the same run), the ratio of the two, and the target the docs set.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** What a figure measures: throughput and latency get charts of their own. */
export type FigureKind = 'throughput' | 'latency' | 'other';

/** A target: `ratio >= 0.25` or `value <= 25` (ms, s: the figure's unit). */
export interface BenchTarget {
  on: 'ratio' | 'value';
  op: '>=' | '<=';
  threshold: number;
}

export interface BenchFigure {
  /** The component measured, e.g. `kafka producer`, `coupon-api`. */
  component: string;
  /** What is measured, e.g. `EventProducer.publish ÷ ProducerPerformance`. */
  metric: string;
  kind: FigureKind;
  /** The unit of `value` and of the anchor's value: `msgs/s`, `ms`, `s`. */
  unit: string;
  value: number;
  anchor: { name: string; value: number } | null;
  /** value ÷ anchor, or the script's own ratio (e.g. the median of per-round ratios). */
  ratio: number | null;
  target: BenchTarget | null;
  /** Whether the target was met; null without a target. */
  met: boolean | null;
  /** The 1-minute load average when the figure was written. */
  load1m: number;
}

export interface FigureInput {
  component: string;
  metric: string;
  kind?: FigureKind;
  unit: string;
  value: number;
  anchor?: { name: string; value: number };
  /** Defaults to value ÷ anchor value. */
  ratio?: number;
  target?: BenchTarget;
}

/** Whether `actual` meets `target`; null when there is no figure to judge (NaN, missing). */
export function targetMet(target: BenchTarget | null, value: number, ratio: number | null) {
  if (!target) return null;
  const actual = target.on === 'ratio' ? ratio : value;
  if (actual === null || !Number.isFinite(actual)) return null;
  return target.op === '>=' ? actual >= target.threshold : actual <= target.threshold;
}

/** A figure with its ratio and verdict worked out. */
export function benchFigure(input: FigureInput, load1m = loadavg()[0] ?? 0): BenchFigure {
  const anchor = input.anchor ?? null;
  const ratio = input.ratio ?? (anchor ? input.value / anchor.value : null);
  const target = input.target ?? null;
  return {
    component: input.component,
    metric: input.metric,
    kind: input.kind ?? 'other',
    unit: input.unit,
    value: input.value,
    anchor,
    ratio,
    target,
    met: targetMet(target, input.value, ratio),
    load1m,
  };
}

/**
 * Appends the figures to BENCH_RESULT_FILE (a JSON array; the scripts of one `bench`
 * command share it) and returns them. Writes nothing when the variable is unset.
 */
export function writeBenchResults(
  inputs: readonly FigureInput[],
  file = process.env.BENCH_RESULT_FILE,
): BenchFigure[] {
  const figures = inputs.map((input) => benchFigure(input));
  if (!file) return figures;
  const earlier: BenchFigure[] = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
  writeFileSync(file, `${JSON.stringify([...earlier, ...figures], null, 2)}\n`);
  console.log(`bench: ${figures.length} figures written to ${file}`);
  return figures;
}

/** `>= 0.25`-style shorthands for the scripts. */
export const atLeast = (threshold: number, on: 'ratio' | 'value' = 'ratio'): BenchTarget => ({
  on,
  op: '>=',
  threshold,
});
export const atMost = (threshold: number, on: 'ratio' | 'value' = 'value'): BenchTarget => ({
  on,
  op: '<=',
  threshold,
});
