import { type Actor, recordAudit } from "@redial/db";
import { parsePayload, QUEUES } from "@redial/jobs";
import type { RedialContext } from "./context.ts";

/** A convoso-sync job whose retries were spent: the outcome never reached Convoso. */
export interface ConvosoDeadLetter {
  id: string;
  leadId: number | null;
  outcome: string | null;
  deadSince: Date;
  lastError: string | null;
}

/** The dead letters still stored (oldest first), through pg-boss's own findJobs. */
export async function listConvosoDeadLetters(
  ctx: Pick<RedialContext, "boss">,
  limit: number,
): Promise<ConvosoDeadLetter[]> {
  const jobs = await ctx.boss.findJobs(QUEUES.convosoSyncDead.name, { limit });
  return jobs
    .filter((job) => job.state !== "completed" && job.state !== "cancelled")
    .map((job) => {
      const payload = parsePayloadOrNull(job.data);
      const output = job.output as { message?: unknown } | null;
      return {
        id: job.id,
        leadId: payload?.leadId ?? null,
        outcome: payload?.outcome ?? null,
        deadSince: job.createdOn,
        lastError: typeof output?.message === "string" ? output.message : null,
      };
    });
}

/** Send dead letters back to the convoso-sync queue (pg-boss's redrive), recorded with who asked. */
export async function retryConvosoDeadLetters(
  ctx: Pick<RedialContext, "boss" | "db">,
  ids: readonly string[],
  by: Actor,
): Promise<number> {
  const moved = await ctx.boss.redrive(QUEUES.convosoSyncDead.name, {
    ids: [...ids],
    destination: QUEUES.convosoSync.name,
  });
  await recordAudit(ctx.db, by, { action: "convoso_dead_letters.retry", details: { ids, moved } });
  return moved;
}

function parsePayloadOrNull(data: unknown) {
  try {
    return parsePayload("convosoSyncDead", data);
  } catch {
    return null;
  }
}
