import { readdirSync, readFileSync } from "node:fs";

/** CPU time consumed so far, ms: this Node process, and every PostgreSQL server on this machine. */
export interface CpuSample {
  nodeMs: number;
  /** null where /proc cannot be read (not Linux), or no postgres process is visible. */
  postgresMs: number | null;
}

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on every mainstream kernel. */
const TICKS_PER_SECOND = 100;

export function cpuSample(): CpuSample {
  const usage = process.cpuUsage();
  return { nodeMs: (usage.user + usage.system) / 1000, postgresMs: postgresCpuMs() };
}

export function cpuBetween(before: CpuSample, after: CpuSample): CpuSample {
  return {
    nodeMs: after.nodeMs - before.nodeMs,
    postgresMs:
      before.postgresMs === null || after.postgresMs === null ? null : after.postgresMs - before.postgresMs,
  };
}

/**
 * Every process named postgres: its own user + system time, and for a postmaster (a postgres
 * process whose parent is not one) also the time of the backends it has reaped, so the CPU of a
 * connection closed between two samples is still counted.
 */
function postgresCpuMs(): number | null {
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const processes = new Map<string, { ppid: string; own: number; children: number }>();
  for (const pid of entries) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    const close = stat.lastIndexOf(")");
    const name = stat.slice(stat.indexOf("(") + 1, close);
    if (name !== "postgres") continue;
    // Fields after "(name) ": state ppid … utime(14) stime(15) cutime(16) cstime(17), 1-based overall.
    const fields = stat.slice(close + 2).split(" ");
    const at = (field: number) => Number(fields[field - 3] ?? 0);
    processes.set(pid, { ppid: fields[1] ?? "", own: at(14) + at(15), children: at(16) + at(17) });
  }
  if (processes.size === 0) return null;
  let ticks = 0;
  for (const process of processes.values())
    ticks += process.own + (processes.has(process.ppid) ? 0 : process.children);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

export function perUnit(cpu: CpuSample, units: number): CpuSample {
  return { nodeMs: cpu.nodeMs / units, postgresMs: cpu.postgresMs === null ? null : cpu.postgresMs / units };
}
