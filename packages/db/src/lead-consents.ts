import type { Consent, ConsentHistoryEntry } from "@redial/domain";
import { sql, type Transaction } from "kysely";
import type { Db } from "./client.ts";
import type { Database } from "./schema.ts";

type Executor = Db | Transaction<Database>;

/**
 * Add a consent to a lead's history (append-only; a trigger of migration 0016 derives the lead's
 * current consent from the history in the same statement). The same consent sent again (every
 * field equal to a grant on record: a lead pushed twice) adds nothing: `created` false, its id.
 */
export async function recordConsent(
  db: Executor,
  leadId: number,
  consent: Consent,
  recordedBy: string,
): Promise<{ id: number; created: boolean }> {
  const { rows } = await sql<{ id: number; created: boolean }>`
    WITH same AS (
      SELECT c.id FROM lead_consents c
      WHERE c.lead_id = ${leadId} AND c.kind = 'grant' AND c.type = ${consent.type}
        AND c.captured_at IS NOT DISTINCT FROM ${consent.capturedAt}::timestamptz
        AND c.source IS NOT DISTINCT FROM ${consent.source}::text
        AND c.ip IS NOT DISTINCT FROM ${consent.ip}::text
        AND c.text_version IS NOT DISTINCT FROM ${consent.textVersion}::text
        AND c.certificate_id IS NOT DISTINCT FROM ${consent.certificateId}::text
      ORDER BY c.id LIMIT 1),
    added AS (
      INSERT INTO lead_consents (lead_id, kind, type, captured_at, source, ip, text_version, certificate_id, recorded_by)
      SELECT ${leadId}, 'grant', ${consent.type}, ${consent.capturedAt}::timestamptz, ${consent.source}::text,
        ${consent.ip}::text, ${consent.textVersion}::text, ${consent.certificateId}::text, ${recordedBy}
      WHERE NOT EXISTS (SELECT 1 FROM same)
      RETURNING id)
    SELECT id, true AS created FROM added UNION ALL SELECT id, false FROM same`.execute(db);
  const row = rows[0];
  if (!row) throw new Error(`The consent of lead ${leadId} was neither recorded nor found.`);
  return { id: Number(row.id), created: row.created };
}

/**
 * The first consent of many new leads (no history yet: nothing to compare with), one statement;
 * the trigger derives each lead's current consent as for recordConsent.
 */
export async function recordFirstConsents(
  trx: Transaction<Database>,
  consents: readonly { leadId: number; consent: Consent }[],
  recordedBy: string,
): Promise<void> {
  if (consents.length === 0) return;
  const rows = consents.map(({ leadId, consent }) => ({
    lead_id: leadId,
    type: consent.type,
    captured_at: consent.capturedAt?.toISOString() ?? null,
    source: consent.source,
    ip: consent.ip,
    text_version: consent.textVersion,
    certificate_id: consent.certificateId,
  }));
  await sql`
    INSERT INTO lead_consents (lead_id, kind, type, captured_at, source, ip, text_version, certificate_id, recorded_by)
    SELECT r.lead_id, 'grant', r.type, r.captured_at, r.source, r.ip, r.text_version, r.certificate_id, ${recordedBy}
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
      lead_id bigint, type text, captured_at timestamptz, source text, ip text, text_version text, certificate_id text)`.execute(
    trx,
  );
}

/** A lead's whole consent history, oldest first: every grant and every revocation. */
export async function consentHistory(db: Executor, leadId: number): Promise<ConsentHistoryEntry[]> {
  const rows = await db
    .selectFrom("lead_consents")
    .selectAll()
    .where("lead_id", "=", leadId)
    .orderBy("id")
    .execute();
  return rows.map((row): ConsentHistoryEntry => {
    const common = { id: Number(row.id), recordedAt: row.recorded_at, recordedBy: row.recorded_by };
    if (row.kind === "revocation")
      return {
        kind: "revocation",
        ...common,
        revokedAt: row.revoked_at ?? row.recorded_at,
        reason: row.revocation_reason,
      };
    return {
      kind: "grant",
      ...common,
      type: row.type ?? "none",
      capturedAt: row.captured_at,
      source: row.source,
      ip: row.ip,
      textVersion: row.text_version,
      certificateId: row.certificate_id,
    };
  });
}
