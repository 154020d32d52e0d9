import type { BackfillSummary } from "@redial/services";

const SHOWN = 20;

/** The summary as JSON (everything, phone lists included when asked for). */
export function summaryJson(summary: BackfillSummary): string {
  return JSON.stringify(summary, null, 2);
}

/** The seed's list as a readable table; a dry run says "would". */
export function summaryTable(s: BackfillSummary): string {
  const would = (text: string) => (s.dryRun ? `would be ${text}` : text);
  const n = (x: number) => x.toLocaleString("en-US");
  const rows: [string, string][] = [
    ["Calls fetched", n(s.calls.fetched)],
    ["  fetched in full (GET /v1/calls/:id)", n(s.calls.fullFetched)],
    [`Calls ${would("imported")} (new)`, n(s.calls.imported)],
    ["Calls already known", n(s.calls.alreadyKnown)],
    ["Calls still in progress (skipped)", n(s.calls.notEnded)],
    [`Leads ${would("created")} (paused until checked)`, n(s.calls.leadsCreated)],
    ["Unique phones", n(s.uniquePhones)],
    ["Convoso: found", n(s.convoso.found)],
    ["Convoso: not found", n(s.convoso.notFound)],
    ["Convoso: errors", n(s.convoso.errors)],
    ["Convoso: not asked (DNC known already)", n(s.convoso.skipped)],
    ["Should redial", n(s.decisions.shouldRedial)],
    ["Skip: SALE", n(s.decisions.skipSale)],
    ["Skip: DNC", n(s.decisions.skipDnc)],
    ["Skip: not found in Convoso", n(s.decisions.notFound)],
    ["Errors (retried by the next run)", n(s.decisions.errors)],
    [`Leads ${would("added")} to the queue`, n(s.queue.added)],
    ["Leads already queued", n(s.queue.alreadyQueued)],
    ["Completed leads left completed", n(s.queue.keptCompleted)],
    ["Leads paused by hand left paused", n(s.queue.keptPaused)],
    [`Leads ${would("completed")} SALE / DNC`, `${n(s.leadsCompleted.sale)} / ${n(s.leadsCompleted.dnc)}`],
    [`Phones ${would("added")} to our DNC list`, n(s.dncPhonesAdded)],
    [`Expected daily calls (queued × ${s.maxPerDay})`, n(s.expectedDailyCalls)],
    ["Failures", n(s.failures.count)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const title = `Backfill ${s.source} ${s.key}${s.dryRun ? " — DRY RUN, nothing written" : ` — run ${s.runId}`}`;
  const lines = [title, ...rows.map(([label, value]) => `${label.padEnd(width)}  ${value.padStart(10)}`)];
  if (s.interrupted) lines.push("", "Interrupted: continue with the same command and --resume.");
  lines.push(
    ...listed(
      "Not found in Convoso",
      s.phones?.notFound.map((p) => `${p.phone}  ${p.reason ?? ""}`),
    ),
  );
  lines.push(
    ...s.failures.first
      .slice(0, SHOWN)
      .map((f, i) => `${i === 0 ? "\nFailures:\n" : ""}  ${f.stage} ${f.item}: ${f.reason}`),
  );
  if (s.failures.count > SHOWN)
    lines.push(`  … and ${n(s.failures.count - SHOWN)} more (--json lists ${s.failures.first.length})`);
  return lines.join("\n");
}

function listed(title: string, items: string[] | undefined): string[] {
  if (!items || items.length === 0) return [];
  const more = items.length > SHOWN ? [`  … and ${items.length - SHOWN} more (--json lists all)`] : [];
  return ["", `${title}:`, ...items.slice(0, SHOWN).map((item) => `  ${item}`), ...more];
}
