// Process CPU from /proc (Linux): a side's CPU per request holds up better than its
// throughput when other work shares the machine.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { procStat as statFields } from '@commerce/testing';

/** The pid of this process's child whose command line contains `fragment`. */
export function childPid(fragment: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const pid = Number(entry);
      if (Number(statFields(pid)[1]) !== process.pid) continue;
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(fragment)) return pid;
    } catch {
      // the process ended while we looked
    }
  }
  throw new Error(`no child process running ${fragment}`);
}

const cpuTimes = () =>
  cpus().reduce(
    (sum, { times }) => ({
      idle: sum.idle + times.idle,
      all: sum.all + times.user + times.nice + times.sys + times.idle + times.irq,
    }),
    { idle: 0, all: 0 },
  );

/**
 * Starts measuring the whole machine's CPU: the function returned gives how busy its cores
 * were since, 0 to 1. The server, the database, the broker and the load generator share
 * them, so a latency tail often says more about this than about the server.
 */
export function machineBusy(): () => number {
  const start = cpuTimes();
  return () => {
    const end = cpuTimes();
    return 1 - (end.idle - start.idle) / Math.max(1, end.all - start.all);
  };
}
