import { sql } from "kysely";
import pg from "pg";
import type { Child, RedialSystem } from "./process-system.ts";
import { waitFor } from "./wait-for.ts";

export interface DeadWorkerTimes {
  leadId: number;
  /** From the SIGKILL to pg-boss failing the dead worker's dial job (the database's clock). */
  failedAfterMs: number;
  /** From the SIGKILL to the lead's next call attempt (the lead dialable again, and dialed). */
  dialedAgainAfterMs: number;
}

/**
 * A worker killed in the middle of a dial, and how long its lead waits. With no worker running,
 * a lead is taken in (its first dial due at once); the `leads` table is locked, a worker is
 * started, and once it has fetched the lead's dial job and its dial waits on that lock, the
 * worker is SIGKILLed (nothing of the dial committed) and the lock released. A replacement worker
 * is started at once (as `pnpm start`'s supervisor, or another worker of the fleet, would be
 * there), and the drill waits until the lead has a call attempt again. Leaves the replacement
 * running; the caller's workers must all be stopped before.
 */
export async function killWorkerMidDial(
  system: RedialSystem,
  phone: string,
  timeoutMs = 150_000,
): Promise<DeadWorkerTimes & { replacement: Child }> {
  const lead = await system.api<{ id: number }>("POST", "/v1/leads", { phone, state: "NY", zip: "10001" });
  const lock = new pg.Client({ connectionString: system.database.url });
  await lock.connect();
  let killedAt: number;
  try {
    await lock.query("BEGIN");
    await lock.query("LOCK TABLE leads IN ACCESS EXCLUSIVE MODE");
    const victim = system.startWorker();
    await waitFor(
      async () => (await dialJobState(system, lead.id)) === "active" && (await dialWaitsOnLock(lock)),
      "the worker to fetch the lead's dial job and wait on the lock",
      60_000,
      { everyMs: 100 },
    );
    killedAt = Date.now();
    await system.kill(victim, "SIGKILL");
    await lock.query("ROLLBACK");
  } finally {
    await lock.end();
  }
  const replacement = system.startWorker();
  let dialedAt = 0;
  await waitFor(
    async () => {
      const { rows } = await sql<{ dialed: Date }>`
        SELECT min(created_at) AS dialed FROM call_attempts WHERE lead_id = ${lead.id}`.execute(
        system.database.db,
      );
      dialedAt = rows[0]?.dialed?.getTime() ?? 0;
      return dialedAt > 0;
    },
    `lead ${lead.id} to be dialed again`,
    timeoutMs,
    { everyMs: 100, explain: async () => `dial job ${await dialJobState(system, lead.id)}` },
  );
  const { rows } = await sql<{ failed: Date }>`
    SELECT max(completed_on) AS failed FROM pgboss.job
    WHERE name = 'dial' AND singleton_key = ${String(lead.id)} AND state = 'failed'`.execute(
    system.database.db,
  );
  return {
    leadId: lead.id,
    failedAfterMs: (rows[0]?.failed?.getTime() ?? Number.NaN) - killedAt,
    dialedAgainAfterMs: dialedAt - killedAt,
    replacement,
  };
}

async function dialJobState(system: RedialSystem, leadId: number): Promise<string | undefined> {
  const { rows } = await sql<{ state: string }>`
    SELECT state FROM pgboss.job WHERE name = 'dial' AND singleton_key = ${String(leadId)}
    ORDER BY created_on DESC LIMIT 1`.execute(system.database.db);
  return rows[0]?.state;
}

/** Whether another session of this database waits on a lock (the worker's dial, on `leads`). */
async function dialWaitsOnLock(lock: pg.Client): Promise<boolean> {
  const { rows } = await lock.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
  );
  return (rows[0]?.n ?? 0) > 0;
}
