// Kafka's own perf tools (kafka-tools jar) as the baseline, and the side-by-side protocol
// every figure of the benchmarks goes through.
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';

const log4jConfig = join(import.meta.dirname, '../../../infra/local/kafka/log4j2.properties');

export interface Throughput {
  msgsPerSec: number;
  mbPerSec: number;
}

/** Runs one kafka-tools class to completion and returns its stdout; killed after `timeoutMs`. */
function runTool(mainClass: string, args: string[], timeoutMs: number): Promise<string> {
  const libs = process.env.KAFKA_LIBS;
  if (!libs) throw new Error('KAFKA_LIBS is not set: eval "$(bash infra/local/stack.sh env)"');
  const java = ['-Xmx512m', '-cp', `${libs}/*`, `-Dlog4j2.configurationFile=${log4jConfig}`];
  const child = spawn('java', [...java, mainClass, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  // Killed on timeout, and with this process (the benchmarks' deadline exits), never orphaned.
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(kill, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      process.off('exit', kill);
      if (code === 0) resolve(out);
      else
        reject(new Error(`${mainClass} ended with ${signal ?? code}:\n${err}${out.slice(-2000)}`));
    });
  });
}

/**
 * ProducerPerformance at full speed. It prints a progress line every 5 s and a summary at
 * the end, both reading "N records sent, X records/sec (Y MB/sec), ..."; the last one counts.
 */
export async function producerPerformance(options: {
  brokers: string;
  topic: string;
  records: number;
  recordSize: number;
  timeoutMs: number;
}): Promise<Throughput> {
  const out = await runTool(
    'org.apache.kafka.tools.ProducerPerformance',
    ['--topic', options.topic, '--num-records', String(options.records)]
      .concat(['--record-size', String(options.recordSize), '--throughput', '-1'])
      .concat(['--producer-props', 'acks=all', `bootstrap.servers=${options.brokers}`]),
    options.timeoutMs,
  );
  const summary = [
    ...out.matchAll(/(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\)/g),
  ].at(-1);
  if (!summary || Number(summary[1]) !== options.records) {
    throw new Error(`no ProducerPerformance summary for ${options.records} records in:\n${out}`);
  }
  return { msgsPerSec: Number(summary[2]), mbPerSec: Number(summary[3]) };
}

/**
 * ConsumerPerformance with its own new group. Its result line follows the header
 * "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
 * rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec"; MB.sec and nMsg.sec
 * are over the whole run, group join included, as ours is measured.
 */
export async function consumerPerformance(options: {
  brokers: string;
  topic: string;
  messages: number;
  group: string;
  timeoutMs: number;
}): Promise<Throughput> {
  const out = await runTool(
    'org.apache.kafka.tools.ConsumerPerformance',
    ['--bootstrap-server', options.brokers, '--topic', options.topic]
      .concat(['--messages', String(options.messages), '--group', options.group])
      .concat(['--timeout', '30000']),
    options.timeoutMs,
  );
  // The log lines share stdout; the result line is the one of ten comma-separated fields.
  const fields = out
    .split('\n')
    .map((line) => line.split(',').map((field) => field.trim()))
    .find((row) => row.length === 10 && /^\d{4}-\d\d-\d\d /.test(row[0] ?? ''));
  if (!fields || Number(fields[4]) < options.messages) {
    throw new Error(`ConsumerPerformance did not read ${options.messages} messages:\n${out}`);
  }
  return { msgsPerSec: Number(fields[5]), mbPerSec: Number(fields[3]) };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Runs both sides `rounds` times, interleaved (ours, theirs, ours, ...), so noise from the
 * shared 2-core machine falls on both alike; prints every run and the ratio of medians.
 */
export async function sideBySide(
  title: string,
  rounds: number,
  ours: (round: number) => Promise<Throughput>,
  theirs: (round: number) => Promise<Throughput>,
  names: readonly [string, string] = ['ours', 'theirs'],
): Promise<{ ours: number; theirs: number; ratio: number }> {
  const runs = { ours: [] as number[], theirs: [] as number[] };
  // The 1-minute load average before and after: a figure taken on a busy machine says so.
  const load = [loadavg()[0]];
  for (let round = 1; round <= rounds; round++) {
    for (const [side, run, name] of [
      ['ours', ours, names[0]],
      ['theirs', theirs, names[1]],
    ] as const) {
      const { msgsPerSec, mbPerSec } = await run(round);
      runs[side].push(msgsPerSec);
      console.log(
        `${title} round ${round} ${name.padEnd(6)} ${fmt(msgsPerSec)} msgs/s  ${mbPerSec.toFixed(2)} MB/s`,
      );
    }
  }
  const result = { ours: median(runs.ours), theirs: median(runs.theirs) };
  const ratio = result.ours / result.theirs;
  load.push(loadavg()[0]);
  console.log(
    `${title} load average ${load.map((l) => l?.toFixed(2)).join(' -> ')} on ${availableParallelism()} cores`,
  );
  console.log(
    `${title} median ${names[0]} ${fmt(result.ours)} msgs/s, ${names[1]} ${fmt(result.theirs)} msgs/s, ratio ${ratio.toFixed(3)}`,
  );
  return { ...result, ratio };
}

function fmt(msgsPerSec: number): string {
  return Math.round(msgsPerSec).toLocaleString('en-US').padStart(9);
}
