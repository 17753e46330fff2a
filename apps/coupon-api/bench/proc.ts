// Process CPU from /proc (Linux): a side's CPU per request holds up better than its
// throughput when other work shares the machine.
import { readdirSync, readFileSync } from 'node:fs';

const statFields = (pid: number) =>
  readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];

/** CPU time (user + system) the process has used so far, in ms (clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const fields = statFields(pid);
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

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
