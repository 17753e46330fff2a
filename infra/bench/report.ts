#!/usr/bin/env node
// One benchmark report: runs every bench command of the workspace one after another (each
// measures its figures beside their anchor in the same run), collects the figures they
// write to BENCH_RESULT_FILE, and rewrites the generated section of docs/benchmarks.md
// (between the bench-report markers) and the SVG charts in docs/charts/.
//   pnpm bench:report [--quick] [--only name,name] [--from docs/charts/results.json]
// --quick passes each script's size knobs for a short trial run; --only runs some benches
// (names as in report-setup.ts). Needs the local stack up and infra/env.sh sourced.
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { BenchFigure } from '@commerce/testing';
import { type BenchRun, type ReportMeta, renderSection, replaceSection } from './report-render.ts';
import { BENCH_TIMEOUT_MS, BENCHES, type Bench, repoRoot, versions } from './report-setup.ts';
import { charts } from './report-svg.ts';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? (argv[onlyAt + 1] ?? '').split(',') : null;
const fromAt = argv.indexOf('--from');
const from = fromAt >= 0 ? argv[fromAt + 1] : undefined;
const selected = only ? BENCHES.filter((b) => only.includes(b.name)) : BENCHES;
if (selected.length === 0) throw new Error(`no bench named ${only}: ${BENCHES.map((b) => b.name)}`);
const workDir = join(tmpdir(), `bench-report-${Date.now()}`);
mkdirSync(workDir, { recursive: true });

const envOf = (bench: Bench) => ({ ...bench.env, ...(quick ? bench.quickEnv : {}) });

function commandOf(bench: Bench): string {
  const env = Object.entries(envOf(bench)).map(([k, v]) => `${k}=${v} `);
  const args = (quick ? bench.quickArgs : bench.args) ?? [];
  return `${env.join('')}pnpm --filter ${bench.filter} ${bench.script}${args.length ? ` ${args.join(' ')}` : ''}`;
}

/** Runs one bench command, its output to the terminal and to a log; its figures from the file. */
async function runBench(bench: Bench, index: number): Promise<BenchRun> {
  const resultFile = join(workDir, `${index}-result.json`);
  const log = createWriteStream(join(workDir, `${index}-${bench.name.replaceAll(' ', '-')}.log`));
  const args = (quick ? bench.quickArgs : bench.args) ?? [];
  const command = commandOf(bench);
  console.log(`\n[bench:report] ${index + 1}/${selected.length} ${bench.name}: ${command}`);
  const loadBefore = loadavg()[0] ?? 0;
  const started = performance.now();
  const child = spawn('pnpm', ['--filter', bench.filter, 'run', bench.script, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...envOf(bench), BENCH_RESULT_FILE: resultFile },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so a timeout ends the bench and its children
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      log.write(chunk);
    });
  }
  const timer = setTimeout(() => {
    console.error(
      `[bench:report] ${bench.name} still running after ${BENCH_TIMEOUT_MS / 60_000} min: killed`,
    );
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  }, BENCH_TIMEOUT_MS);
  const exitCode = await new Promise<number>((resolve) =>
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1))),
  );
  clearTimeout(timer);
  log.end();
  const figures: BenchFigure[] = existsSync(resultFile)
    ? JSON.parse(readFileSync(resultFile, 'utf8'))
    : [];
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `[bench:report] ${bench.name}: exit ${exitCode}, ${figures.length} figures in ${Math.round(seconds)} s`,
  );
  return {
    name: bench.name,
    command,
    seconds,
    exitCode,
    loadBefore,
    loadAfter: loadavg()[0] ?? 0,
    figures,
  };
}

/** Writes the charts, the raw figures and the doc's generated section; returns the failed benches. */
function writeReport(meta: ReportMeta, runs: BenchRun[]): BenchRun[] {
  const figures = runs.flatMap((r) => r.figures);
  const rendered = charts(figures);
  const docs = join(repoRoot, 'docs');
  mkdirSync(join(docs, 'charts'), { recursive: true });
  for (const chart of rendered) writeFileSync(join(docs, 'charts', chart.file), chart.svg);
  writeFileSync(
    join(docs, 'charts', 'results.json'),
    `${JSON.stringify({ meta, runs }, null, 2)}\n`,
  );
  const docPath = join(docs, 'benchmarks.md');
  writeFileSync(
    docPath,
    replaceSection(readFileSync(docPath, 'utf8'), renderSection(meta, runs, rendered)),
  );
  const failed = runs.filter((r) => r.exitCode !== 0);
  console.log(
    `\n[bench:report] ${figures.length} figures from ${runs.length} benches in ${Math.round(meta.seconds)} s; ` +
      `docs/benchmarks.md and docs/charts/ written${failed.length ? `; failed: ${failed.map((r) => r.name).join(', ')}` : ''}`,
  );
  return failed;
}

/** The commit the benches ran on, marked when the working tree had changes besides. */
function revision(): string {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
  const commit = git('rev-parse', '--short', 'HEAD');
  return git('status', '--porcelain', '--untracked-files=no')
    ? `${commit} with local changes`
    : commit;
}

async function runAll(): Promise<{ meta: ReportMeta; runs: BenchRun[] }> {
  const startedAt = new Date().toISOString();
  const loadStart = loadavg();
  const started = performance.now();
  const machine = {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
  const found = await versions();
  console.log(
    `[bench:report] ${selected.length} benches${quick ? ', quick' : ''}; logs in ${workDir}`,
  );
  console.log(`[bench:report] ${machine.cpu}, ${machine.cores} cores; ${JSON.stringify(found)}`);
  const runs: BenchRun[] = [];
  for (const [i, bench] of selected.entries()) runs.push(await runBench(bench, i));
  const meta: ReportMeta = {
    machine,
    versions: found,
    startedAt,
    revision: revision(),
    quick,
    command: `pnpm bench:report${argv.length ? ` ${argv.join(' ')}` : ''}`,
    loadStart,
    loadEnd: loadavg(),
    seconds: (performance.now() - started) / 1000,
  };
  return { meta, runs };
}

// --from <results.json>: renders an earlier run's figures again (after a change to the
// rendering) without running anything.
const report = from ? JSON.parse(readFileSync(from, 'utf8')) : await runAll();
process.exitCode = writeReport(report.meta, report.runs).length ? 1 : 0;
