import { readdirSync, readFileSync } from "node:fs";

/** CPU time consumed so far, ms: this Node process, and every PostgreSQL server on this machine. */
export interface CpuSample {
  nodeMs: number;
  /** null where /proc cannot be read (not Linux), or no postgres process is visible. */
  postgresMs: number | null;
  /**
   * The backends of the bench's own scratch database only (what `OwnBackendCpu` measured): other
   * work on a shared server does not count. Absent where not measured.
   */
  ownPostgresMs?: number | null;
}

/** CPU ticks of each backend of one database at an instant (pid → utime + stime). */
export type BackendTicks = Map<number, number>;

/** The CPU ticks of these backend pids now (a pid gone meanwhile is left out). */
export function backendTicks(pids: readonly number[]): BackendTicks {
  const ticks: BackendTicks = new Map();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks.set(pid, Number(fields[11] ?? 0) + Number(fields[12] ?? 0));
    } catch {
      // ended between the query and the read, or no /proc
    }
  }
  return ticks;
}

/**
 * CPU ms the backends used between two readings: a backend present at both counts its difference,
 * one that connected meanwhile all of its time (it started inside the window); one that ended
 * meanwhile is lost (the phases' pools keep their connections while timed). null without /proc.
 */
export function backendMsBetween(before: BackendTicks, after: BackendTicks): number | null {
  if (after.size === 0) return null;
  let ticks = 0;
  for (const [pid, now] of after) ticks += now - (before.get(pid) ?? 0);
  return (ticks * 1000) / TICKS_PER_SECOND;
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
  const per = (ms: number | null | undefined) => (ms === null || ms === undefined ? ms : ms / units);
  return {
    nodeMs: cpu.nodeMs / units,
    postgresMs: per(cpu.postgresMs) ?? null,
    ...(cpu.ownPostgresMs !== undefined ? { ownPostgresMs: per(cpu.ownPostgresMs) ?? null } : {}),
  };
}
