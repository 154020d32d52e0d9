import { ConvosoError } from "./convoso-error.ts";
import { extractEntries, idString, isRecord } from "./response-shapes.ts";

/** A lead as Convoso returns it; `raw` keeps every field (custom `field_N`, called_count…). */
export interface ConvosoLead {
  leadId: string;
  listId: string | null;
  /** The digits as Convoso gave them (usually 10, without the country code). */
  phone: string;
  /** The status abbreviation (SALE, NA, DNC…). */
  status: string | null;
  statusName: string | null;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  state?: string | null;
  postalCode?: string | null;
  createdAt?: string | null;
  raw: Record<string, unknown>;
}

export interface LeadSearchResult {
  total: number;
  leads: ConvosoLead[];
}

/** Reads a /leads/search answer in any of its shapes. */
export function parseLeadSearch(body: unknown): LeadSearchResult {
  const { total, entries } = extractEntries(body, "/leads/search");
  return { total, leads: entries.map(parseLead) };
}

export function parseLead(entry: unknown): ConvosoLead {
  const raw = isRecord(entry) ? entry : {};
  const leadId = idString(raw.id) ?? idString(raw.lead_id);
  if (leadId === null) {
    throw new ConvosoError(
      "server",
      "Convoso returned a lead without id or lead_id; the API may have changed",
      {
        status: 200,
      },
    );
  }
  return {
    leadId,
    listId: idString(raw.list_id),
    phone: idString(raw.phone_number) ?? "",
    status: text(raw.status),
    statusName: text(raw.status_name),
    firstName: text(raw.first_name),
    lastName: text(raw.last_name),
    email: text(raw.email),
    state: text(raw.state),
    postalCode: idString(raw.postal_code),
    createdAt: text(raw.created_at),
    raw,
  };
}

/** The lead id in an insert or update answer: `{data:{lead_id}}`, `{lead_id}` or `{id}`. */
export function parseLeadId(body: unknown, what: string): string {
  const data = isRecord(body) && isRecord(body.data) ? body.data : body;
  const id = isRecord(data) ? (idString(data.lead_id) ?? idString(data.id)) : null;
  if (id === null) {
    throw new ConvosoError(
      "server",
      `Convoso's answer to ${what} has no lead_id; check the lead in Convoso`,
      {
        status: 200,
      },
    );
  }
  return id;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}
