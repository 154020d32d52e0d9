import type { DialEvidence } from "@redial/domain";
import type { Transaction } from "kysely";
import type { Db } from "./client.ts";
import type { Database } from "./schema.ts";

type Executor = Db | Transaction<Database>;

/** A dial's evidence as stored with its attempt. */
export interface StoredEvidence {
  attemptId: number;
  leadId: number;
  decidedAt: Date;
  evidence: DialEvidence;
  recordedAt: Date;
}

/** Every dial's evidence of a lead, in the order the dials were decided. */
export async function listEvidence(db: Executor, leadId: number): Promise<StoredEvidence[]> {
  const rows = await db
    .selectFrom("call_evidence")
    .selectAll()
    .where("lead_id", "=", leadId)
    .orderBy("decided_at")
    .orderBy("attempt_id")
    .execute();
  return rows.map((row) => ({
    attemptId: Number(row.attempt_id),
    leadId: Number(row.lead_id),
    decidedAt: row.decided_at,
    evidence: row.evidence as DialEvidence,
    recordedAt: row.recorded_at,
  }));
}
