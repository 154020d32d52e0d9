import { parseConfig } from "@redial/config";
import { createDb } from "@redial/db";
import {
  type EvidenceRecord,
  evidenceRecordByPhone,
  evidenceRecordCsv,
  isReportDay,
  policyFromEnv,
  redialPolicyEnv,
} from "@redial/services";
import type { Command } from "commander";
import { z } from "zod";

const evidenceEnvSchema = z.object({
  DATABASE_URL: z.string().url({ message: "a postgres:// connection string of the database to read" }),
  ...redialPolicyEnv,
});

export interface EvidenceOptions {
  phone: string;
  from?: string | undefined;
  to?: string | undefined;
  json?: boolean | undefined;
  csv?: boolean | undefined;
}

export interface EvidenceCommandIo {
  env: Record<string, string | undefined>;
  write: (text: string) => void;
}

/**
 * `redial evidence --phone … [--from --to] [--json|--csv]`: one person's whole record (consent
 * history, every call with its evidence and outcome, opt-outs and how they were honoured), as
 * JSON, CSV, or a readable timeline on a terminal. Reads only.
 */
export async function evidenceCommand(options: EvidenceOptions, io: EvidenceCommandIo): Promise<string> {
  for (const [flag, day] of [
    ["--from", options.from],
    ["--to", options.to],
  ] as const)
    if (day !== undefined && !isReportDay(day))
      throw new Error(`${flag} must be a campaign day YYYY-MM-DD, got "${day}"`);
  if (options.json && options.csv) throw new Error("choose one of --json and --csv");
  const env = parseConfig(evidenceEnvSchema, io.env);
  const db = createDb(env.DATABASE_URL, { max: 2 });
  try {
    const ctx = { db, now: () => new Date(), policy: policyFromEnv(env) };
    const record = await evidenceRecordByPhone(ctx, options.phone, { from: options.from, to: options.to });
    const text = options.json
      ? `${JSON.stringify(record, null, 2)}\n`
      : options.csv
        ? evidenceRecordCsv(record)
        : timeline(record);
    io.write(text);
    return text;
  } finally {
    await db.destroy();
  }
}

/** The record as lines a person reads: a header, then every event in time order. */
function timeline(record: EvidenceRecord): string {
  const lead = record.lead;
  const lines = [
    `Evidence record of ${record.phone}${lead ? ` (lead ${lead.id}, ${lead.final_outcome ? `completed ${lead.final_outcome}` : lead.status})` : " (no lead)"}, generated ${record.generated_at}`,
    `on our DNC list: ${record.on_dnc_list ? "yes" : "no"}; consent required now: ${record.consent.required_now}; current consent: ${record.consent.current ? `#${record.consent.current.id} ${record.consent.current.type}` : "none"}`,
  ];
  const events: [string, string][] = [
    ...record.consent.history.map((entry): [string, string] =>
      entry.kind === "grant"
        ? [
            entry.captured_at ?? entry.recorded_at,
            `consent #${entry.id} ${entry.type}: source ${entry.source ?? "-"}, ip ${entry.ip ?? "-"}, text ${entry.text_version ?? "-"}, certificate ${entry.certificate_id ?? "-"} (recorded ${entry.recorded_at} by ${entry.recorded_by})`,
          ]
        : [entry.revoked_at, `consent revoked (#${entry.id}): ${entry.reason ?? "-"} (${entry.recorded_by})`],
    ),
    ...record.calls.map((call): [string, string] => [
      call.dialed_at,
      `call ${call.attempt_number} (attempt ${call.attempt_id}): ${call.outcome ?? call.state}${call.outcome_reason ? ` (${call.outcome_reason})` : ""}${call.evidence ? ` — ${call.evidence.decision.text}` : " — no evidence (not placed by the dialer)"}`,
    ]),
    ...record.opt_outs.map((optOut): [string, string] => [
      optOut.at,
      `opt-out honoured: ${optOut.reason ?? "-"}; calls after it: ${optOut.calls_after}${optOut.lead_completed_at ? `; lead completed ${optOut.lead_completed_at}` : ""}`,
    ]),
    ...record.changes_by_hand.map((change): [string, string] => [
      change.at,
      `by hand: ${change.action} by ${change.actor} ${JSON.stringify(change.details)}`,
    ]),
  ];
  events.sort((a, b) => a[0].localeCompare(b[0]));
  return `${[...lines, ...events.map(([at, text]) => `${at}  ${text}`)].join("\n")}\n`;
}

export function registerEvidenceCommand(program: Command, io: EvidenceCommandIo): void {
  program
    .command("evidence")
    .description(
      "one person's whole record for a compliance officer: consent history, every call with its evidence and outcome, opt-outs and how they were honoured",
    )
    .requiredOption("--phone <phone>", "the person's phone, any US format")
    .option("--from <day>", "calls from this campaign day, YYYY-MM-DD (the consent history is always whole)")
    .option("--to <day>", "calls up to this campaign day, YYYY-MM-DD")
    .option("--json", "JSON output (the same as GET /v1/leads/:id/evidence)")
    .option("--csv", "CSV output, a row per event")
    .action(async (options: EvidenceOptions) => {
      await evidenceCommand(options, io);
    });
}
