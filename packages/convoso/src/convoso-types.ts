import type { ConvosoLead, LeadSearchResult } from "./convoso-lead.ts";
import type { ConvosoStatus } from "./convoso-status.ts";

export interface ConvosoClientOptions {
  /** e.g. https://api.convoso.com; the client appends /v1. */
  baseUrl: string;
  authToken: string;
  /** Pace of requests from this client, retries included (default 20). */
  requestsPerSecond?: number;
  /** Retries of a 429, 5xx or network failure (default 4). */
  maxRetries?: number;
  /** Per attempt (default 15 000). */
  timeoutMs?: number;
  /** First backoff before jitter, doubled each retry (default 250). */
  retryBaseMs?: number;
  fetch?: typeof fetch;
}

export interface LeadSearchQuery {
  phoneNumber?: string;
  leadId?: string;
  listId?: string;
  status?: string;
  offset?: number;
  /** At most 2000. */
  limit?: number;
}

/** Lead fields by Convoso name (first_name, email, field_1…) plus the two required ones. */
export type LeadInsertFields = Record<string, string> & { listId: string; phoneNumber: string };

/** `status` is the abbreviation (SALE, NA…), not the name; other keys are Convoso field names. */
export type LeadUpdateFields = { status?: string; [field: string]: string | undefined };

export interface DncInsertOptions {
  /** "0" or absent: the global list. */
  campaignId?: string;
  reason?: string;
}

export interface ConvosoClient {
  searchLeads(query: LeadSearchQuery): Promise<LeadSearchResult>;
  /** The first match when the phone sits in several lists (our rule); undefined when Convoso has none. */
  findLeadByPhone(phone: string): Promise<ConvosoLead | undefined>;
  insertLead(fields: LeadInsertFields): Promise<{ leadId: string }>;
  updateLead(leadId: string, fields: LeadUpdateFields): Promise<void>;
  /** "Already on the list" (6008) counts as success. */
  insertDnc(phone: string, opts?: DncInsertOptions): Promise<void>;
  /** True when the phone is on a Convoso DNC list. */
  searchDnc(phone: string): Promise<boolean>;
  searchStatuses(query?: string): Promise<ConvosoStatus[]>;
}
