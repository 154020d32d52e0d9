import {
  type ConvosoLead,
  convosoTime,
  historyLeadById,
  historyLeadsOf,
  historyStatusOf,
} from "./convoso-history-leads.ts";
import { statusNameOf } from "./convoso-statuses.ts";
import type { History } from "./history.ts";
import { historyPhone, tenDigits } from "./phone-numbers.ts";

export interface LeadFilter {
  phoneNumber?: string;
  leadId?: string;
  listId?: string;
  status?: string;
}

export interface DncEntry {
  id: string;
  phone_number: string;
  phone_code: string;
  campaign_id: string;
  reason: string;
  inserted_at: string;
}

export interface Page<T> {
  total: number;
  entries: T[];
}

/**
 * Convoso's data: leads and DNC entries derived from the history (never stored) plus what was
 * seeded, inserted or changed (stored; a changed derived lead is stored under its own id).
 */
export class ConvosoStore {
  readonly #history: History;
  readonly #seed: number;
  readonly #leads = new Map<string, ConvosoLead>();
  readonly #idsByPhone = new Map<string, Set<string>>();
  readonly #dnc = new Map<string, DncEntry>();
  readonly callbacks: Array<Record<string, string>> = [];
  #nextLeadId = 50_000_000;
  #nextDncId = 9_000_000;

  constructor(history: History, seed: number) {
    this.#history = history;
    this.#seed = seed;
  }

  findLead(id: string): ConvosoLead | undefined {
    return (
      this.#leads.get(id) ??
      (this.#history.count > 0 ? historyLeadById(this.#history, this.#seed, id) : undefined)
    );
  }

  leadsByPhone(phone: string): ConvosoLead[] {
    const digits = tenDigits(phone);
    if (digits === undefined) return [];
    const stored = [...(this.#idsByPhone.get(digits) ?? [])].flatMap((id) => this.#leads.get(id) ?? []);
    const p = this.#historyPhoneIndex(digits);
    const derived =
      p === undefined
        ? []
        : historyLeadsOf(this.#history, this.#seed, p).filter((l) => !this.#leads.has(l.id));
    return [...derived, ...stored];
  }

  searchLeads(filter: LeadFilter, offset: number, limit: number): Page<ConvosoLead> {
    const candidates = this.#leadCandidates(filter);
    const matches = (lead: ConvosoLead) =>
      (filter.listId === undefined || lead.list_id === filter.listId) &&
      (filter.status === undefined || lead.status.toUpperCase() === filter.status.toUpperCase()) &&
      (filter.leadId === undefined || lead.id === filter.leadId);
    return paginate(candidates, matches, offset, limit);
  }

  insertLead(fields: Record<string, string>): ConvosoLead {
    const id = String(this.#nextLeadId++);
    const now = convosoTime(Date.now());
    const lead: ConvosoLead = {
      status_name: null,
      phone_code: "1",
      called_count: "0",
      last_called: null,
      created_at: now,
      modified_at: now,
      ...fields,
      id,
      lead_id: id,
      list_id: fields.list_id ?? "0",
      status: (fields.status ?? "NEW").toUpperCase(),
      phone_number: tenDigits(fields.phone_number ?? "") ?? fields.phone_number ?? "",
    };
    lead.status_name = statusNameOf(lead.status) ?? lead.status;
    this.#store(lead);
    return lead;
  }

  /** Applies `fields` to the lead; undefined when there is no such lead. */
  updateLead(id: string, fields: Record<string, string>): ConvosoLead | undefined {
    const current = this.findLead(id);
    if (current === undefined) return undefined;
    const status = (fields.status ?? current.status).toUpperCase();
    const updated: ConvosoLead = {
      ...current,
      ...fields,
      id,
      lead_id: id,
      list_id: fields.list_id ?? current.list_id,
      status,
      status_name: statusNameOf(status) ?? status,
      phone_number: tenDigits(fields.phone_number ?? current.phone_number) ?? current.phone_number,
      modified_at: convosoTime(Date.now()),
    };
    this.#unindex(current);
    this.#store(updated);
    return updated;
  }

  findDnc(phone: string, campaignId: string): DncEntry | undefined {
    const digits = tenDigits(phone) ?? phone.replace(/\D/g, "");
    return (
      this.#dnc.get(`${digits}:${campaignId}`) ?? (campaignId === "0" ? this.#historyDnc(digits) : undefined)
    );
  }

  insertDnc(phone: string, phoneCode: string, campaignId: string, reason: string): DncEntry {
    const digits = tenDigits(phone) ?? phone.replace(/\D/g, "");
    const entry: DncEntry = {
      id: String(this.#nextDncId++),
      phone_number: digits,
      phone_code: phoneCode,
      campaign_id: campaignId,
      reason,
      inserted_at: convosoTime(Date.now()),
    };
    this.#dnc.set(`${digits}:${campaignId}`, entry);
    return entry;
  }

  searchDnc(
    filter: { phoneNumber?: string; campaignId?: string },
    offset: number,
    limit: number,
  ): Page<DncEntry> {
    const digits =
      filter.phoneNumber === undefined ? undefined : (tenDigits(filter.phoneNumber) ?? filter.phoneNumber);
    const matches = (e: DncEntry) =>
      (digits === undefined || e.phone_number === digits) &&
      (filter.campaignId === undefined || e.campaign_id === filter.campaignId);
    return paginate(this.#dncCandidates(digits), matches, offset, limit);
  }

  *#leadCandidates(filter: LeadFilter): Generator<ConvosoLead> {
    if (filter.phoneNumber !== undefined) return yield* this.leadsByPhone(filter.phoneNumber);
    if (filter.leadId !== undefined) {
      const lead = this.findLead(filter.leadId);
      return lead === undefined ? undefined : yield lead;
    }
    yield* this.#leads.values();
    for (let p = 0; this.#history.count > 0 && p < this.#history.phoneCount; p++) {
      for (const lead of historyLeadsOf(this.#history, this.#seed, p))
        if (!this.#leads.has(lead.id)) yield lead;
    }
  }

  *#dncCandidates(digits: string | undefined): Generator<DncEntry> {
    if (digits !== undefined) {
      for (const entry of this.#dnc.values()) if (entry.phone_number === digits) yield entry;
      const derived = this.#historyDnc(digits);
      if (derived !== undefined && !this.#dnc.has(`${digits}:0`)) yield derived;
      return;
    }
    yield* this.#dnc.values();
    for (let p = 0; this.#history.count > 0 && p < this.#history.phoneCount; p++) {
      const derived = this.#historyDnc(historyPhone(p).slice(2));
      if (derived !== undefined && !this.#dnc.has(`${derived.phone_number}:0`)) yield derived;
    }
  }

  #historyDnc(digits: string): DncEntry | undefined {
    const p = this.#historyPhoneIndex(digits);
    if (p === undefined || historyStatusOf(this.#history, p) !== "DNC") return undefined;
    const last = this.#history.callsOfPhone(p).at(-1) ?? 0;
    return {
      id: String(2_000_000 + p),
      phone_number: digits,
      phone_code: "1",
      campaign_id: "0",
      reason: "Customer request",
      inserted_at: convosoTime(this.#history.createdAtMs(last)),
    };
  }

  #historyPhoneIndex(digits: string): number | undefined {
    return this.#history.count > 0 ? this.#history.phoneIndexOfNumber(digits) : undefined;
  }

  #store(lead: ConvosoLead): void {
    this.#leads.set(lead.id, lead);
    const ids = this.#idsByPhone.get(lead.phone_number) ?? new Set<string>();
    ids.add(lead.id);
    this.#idsByPhone.set(lead.phone_number, ids);
  }

  #unindex(lead: ConvosoLead): void {
    this.#idsByPhone.get(lead.phone_number)?.delete(lead.id);
  }
}

function paginate<T>(
  items: Iterable<T>,
  matches: (item: T) => boolean,
  offset: number,
  limit: number,
): Page<T> {
  const entries: T[] = [];
  let total = 0;
  for (const item of items) {
    if (!matches(item)) continue;
    if (total >= offset && entries.length < limit) entries.push(item);
    total++;
  }
  return { total, entries };
}
