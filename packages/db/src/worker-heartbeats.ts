import { sql, type Transaction } from "kysely";
import type { Db } from "./client.ts";
import type { Database } from "./schema.ts";

type Executor = Db | Transaction<Database>;

export interface WorkerHeartbeat {
  workerId: string;
  host: string;
  pid: number;
  startedAt: Date;
  beatAt: Date;
  dialPaused: boolean;
  stoppedAt: Date | null;
}

/** A worker's beat: it is alive and has (or has not) stopped fetching dial jobs. */
export async function saveHeartbeat(
  db: Executor,
  beat: Omit<WorkerHeartbeat, "stoppedAt"> & { stopped?: boolean },
): Promise<void> {
  await db
    .insertInto("worker_heartbeats")
    .values({
      worker_id: beat.workerId,
      host: beat.host,
      pid: beat.pid,
      started_at: beat.startedAt,
      beat_at: beat.beatAt,
      dial_paused: beat.dialPaused,
      stopped_at: beat.stopped ? beat.beatAt : null,
    })
    .onConflict((oc) =>
      oc.column("worker_id").doUpdateSet((eb) => ({
        beat_at: eb.ref("excluded.beat_at"),
        dial_paused: eb.ref("excluded.dial_paused"),
        stopped_at: eb.ref("excluded.stopped_at"),
      })),
    )
    .execute();
}

/** Workers seen since `since` (alive or stopped), newest beat first. */
export async function listHeartbeats(db: Executor, since: Date): Promise<WorkerHeartbeat[]> {
  const rows = await db
    .selectFrom("worker_heartbeats")
    .selectAll()
    .where("beat_at", ">=", since)
    .orderBy("beat_at", "desc")
    .execute();
  return rows.map((row) => ({
    workerId: row.worker_id,
    host: row.host,
    pid: row.pid,
    startedAt: row.started_at,
    beatAt: row.beat_at,
    dialPaused: row.dial_paused,
    stoppedAt: row.stopped_at,
  }));
}

/** Heartbeats older than `before` are forgotten (a worker gone for a week). */
export async function deleteHeartbeatsBefore(db: Executor, before: Date): Promise<number> {
  const result = await sql`DELETE FROM worker_heartbeats WHERE beat_at < ${before}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
