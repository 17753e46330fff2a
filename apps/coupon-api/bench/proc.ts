// Process CPU from /proc (Linux): a side's CPU per request holds up better than its
// throughput when other work shares the machine.
import { readdirSync, readFileSync } from 'node:fs';
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
