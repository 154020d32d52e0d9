import type { CallResult, TranscriptTurn } from "./call-result.ts";
import { canonicalLabel } from "./outcome-labels.ts";

/** One label-like value of a call and where it was found (`pathway_tags`, `variables.outcome`…). */
export interface Signal {
  source: string;
  text: string;
}

const OUTCOME_VARIABLE_KEYS = new Set([
  "outcome",
  "call outcome",
  "disposition",
  "result",
  "call result",
  "status",
  "lead status",
  "call status",
]);

/** Labels in precedence order of their source: explicit outcome, disposition, pathway tags, variables. */
export function labelSignals(result: CallResult): Signal[] {
  const signals: Signal[] = [];
  if (result.outcome) signals.push({ source: "outcome", text: result.outcome });
  if (result.disposition_tag) signals.push({ source: "disposition_tag", text: result.disposition_tag });
  for (const tag of result.pathway_tags ?? []) {
    const text = typeof tag === "string" ? tag : tag?.name;
    if (text) signals.push({ source: "pathway_tags", text });
  }
  for (const [key, value] of Object.entries(result.variables ?? {})) {
    if (typeof value === "string" && OUTCOME_VARIABLE_KEYS.has(canonicalLabel(key))) {
      signals.push({ source: `variables.${key}`, text: value });
    }
  }
  return signals;
}

/** `source: "value"`, the form of every outcome reason; long values are cut. */
export function quoted(source: string, value: unknown): string {
  if (typeof value !== "string") return `${source}: ${JSON.stringify(value)}`;
  const text = value.replace(/\s+/g, " ").trim();
  return `${source}: ${JSON.stringify(text.length > 90 ? `${text.slice(0, 87)}...` : text)}`;
}

const LEAD_SPEAKERS = new Set(["user", "human", "customer", "caller", "callee", "lead", "prospect"]);
const AGENT_SPEAKERS = new Set(["assistant", "agent", "ai", "bot", "robot", "agent action", "system"]);
const SPEAKER_LABEL =
  /(?:^|\n)\s*(user|human|customer|caller|callee|lead|prospect|assistant|agent|ai|bot|robot|agent-action|system)\s*:/gi;

/**
 * What the lead said: the `user` turns of `transcripts[]`, else the `user:` parts of
 * `concatenated_transcript`. A turn whose speaker is not named counts (it may be the lead); the
 * agent's own turns never do ("you can ask us to stop calling you").
 */
export function leadSpeech(result: CallResult): string[] {
  const turns = (result.transcripts ?? []).filter(
    (t): t is TranscriptTurn & { text: string } =>
      isRecord(t) && typeof t.text === "string" && t.text.trim() !== "",
  );
  if (turns.length > 0) return turns.filter((t) => !isAgent(t.user)).map((t) => t.text);
  const text = result.concatenated_transcript ?? "";
  const labels = [...text.matchAll(SPEAKER_LABEL)];
  if (labels.length === 0) return text.trim() === "" ? [] : [text];
  const parts = [text.slice(0, labels[0]?.index ?? 0)];
  labels.forEach((label, i) => {
    const from = (label.index ?? 0) + label[0].length;
    const to = labels[i + 1]?.index ?? text.length;
    if (!isAgent(label[1])) parts.push(text.slice(from, to));
  });
  return parts.filter((part) => part.trim() !== "");
}

function isAgent(speaker: string | null | undefined): boolean {
  const name = canonicalLabel(speaker ?? "");
  if (LEAD_SPEAKERS.has(name)) return false;
  return AGENT_SPEAKERS.has(name);
}

/** Bland's own variables (where the call went, when): never a statement by or about the lead. */
const SYSTEM_VARIABLES = new Set([
  "now",
  "now utc",
  "from",
  "to",
  "short from",
  "short to",
  "call id",
  "phone number",
  "city",
  "state",
  "zip",
  "country",
  "timezone",
  "language",
  "timestamp",
]);

/** Every text or flag under `variables` and `analysis`, nested objects included, with its path. */
export function variableEntries(result: CallResult): Array<{ source: string; key: string; value: unknown }> {
  const out: Array<{ source: string; key: string; value: unknown }> = [];
  const walk = (prefix: string, object: Record<string, unknown>, depth: number) => {
    for (const [key, value] of Object.entries(object)) {
      if (depth === 0 && prefix === "variables" && SYSTEM_VARIABLES.has(canonicalLabel(key))) continue;
      const source = `${prefix}.${key}`;
      if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        if (depth < 2) walk(source, value as Record<string, unknown>, depth + 1);
      } else out.push({ source, key, value });
    }
  };
  if (isRecord(result.variables)) walk("variables", result.variables, 0);
  if (isRecord(result.analysis)) walk("analysis", result.analysis, 0);
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Convoso-style and JSON truthy flags: true, 1, "true", "yes", "y", "1". */
export function isTruthyFlag(value: unknown): boolean {
  if (value === true || value === 1) return true;
  return typeof value === "string" && ["true", "yes", "y", "1"].includes(value.trim().toLowerCase());
}
