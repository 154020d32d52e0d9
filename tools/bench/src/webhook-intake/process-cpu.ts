import { readFileSync } from "node:fs";
import type { Db } from "@redial/db";
import { sql } from "kysely";

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on every mainstream kernel. */
const TICKS_PER_SECOND = 100;

/** User + system CPU time of one process so far, ms (0 once it is gone or where /proc is absent). */
function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

export interface IntakeCpu {
  apiMs: number;
  /** The PostgreSQL backends connected to the intake's database (the API's pool), by pid. */
  backendsMs: ReadonlyMap<number, number>;
}

/**
 * CPU spent so far by the API process and by the backends serving `database`: other work on this
 * machine (other benches, other databases) is not counted, so a busy machine slows the figures
 * down but barely changes the CPU a delivery costs.
 */
export async function intakeCpu(db: Db, apiPid: number, database: string): Promise<IntakeCpu> {
  const { rows } = await sql<{ pid: number }>`
    SELECT pid FROM pg_stat_activity WHERE datname = ${database} AND pid <> pg_backend_pid()`.execute(db);
  return {
    apiMs: processCpuMs(apiPid),
    backendsMs: new Map(rows.map((row) => [row.pid, processCpuMs(row.pid)])),
  };
}

/**
 * CPU between two samples, ms: the API's, and the backends' summed pid by pid — a backend that
 * started meanwhile counts whole, one that exited meanwhile counts nothing (its last interval is
 * gone with its /proc entry: an understatement, never a negative as a difference of sums reads).
 */
export function intakeCpuBetween(before: IntakeCpu, after: IntakeCpu): { apiMs: number; postgresMs: number } {
  let postgresMs = 0;
  for (const [pid, ms] of after.backendsMs) postgresMs += Math.max(0, ms - (before.backendsMs.get(pid) ?? 0));
  return { apiMs: after.apiMs - before.apiMs, postgresMs };
}
