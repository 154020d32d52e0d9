import Bottleneck from "bottleneck";
import { ConvosoError } from "./convoso-error.ts";
import type { FormFields, HttpSettings } from "./convoso-http.ts";
import { parseLeadId, parseLeadSearch } from "./convoso-lead.ts";
import { parseStatuses } from "./convoso-status.ts";
import type {
  ConvosoClient,
  ConvosoClientOptions,
  DncInsertOptions,
  LeadInsertFields,
  LeadSearchQuery,
} from "./convoso-types.ts";
import { extractEntries } from "./response-shapes.ts";
import { type RetrySettings, sendWithRetries } from "./send-with-retries.ts";
import { toTenDigits } from "./ten-digit-phone.ts";

const DEFAULT_REQUESTS_PER_SECOND = 20;
const DEFAULT_MAX_RETRIES = 4;
const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_RETRY_BASE_MS = 250;
/** Convoso's code for "the number is already on the DNC list". */
const ALREADY_ON_DNC_LIST = 6008;

type Send = (path: string, fields: FormFields) => Promise<unknown>;

/** A Convoso client; every request (retries included) waits its turn at requestsPerSecond. */
export function createConvosoClient(opts: ConvosoClientOptions): ConvosoClient {
  const send = createSender(opts);
  return {
    searchLeads: (q) => searchLeads(send, q),
    findLeadByPhone: async (phone) => (await searchLeads(send, { phoneNumber: toTenDigits(phone) })).leads[0],
    insertLead: (fields) => insertLead(send, fields),
    updateLead: async (leadId, fields) => {
      await send("/leads/update", { ...fields, lead_id: leadId });
    },
    insertDnc: (phone, dncOpts) => insertDnc(send, phone, dncOpts),
    searchDnc: (phone) => searchDnc(send, phone),
    searchStatuses: async (query) => parseStatuses(await send("/status/search", { query })),
  };
}

function createSender(opts: ConvosoClientOptions): Send {
  const rate = opts.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND;
  if (!(rate > 0)) throw new RangeError(`requestsPerSecond must be above 0, got ${rate}`);
  const http: HttpSettings = {
    apiUrl: `${opts.baseUrl.replace(/\/+$/, "")}/v1`,
    authToken: opts.authToken,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    fetch: opts.fetch ?? globalThis.fetch,
  };
  const retry: RetrySettings = {
    maxRetries: opts.maxRetries ?? DEFAULT_MAX_RETRIES,
    baseMs: opts.retryBaseMs ?? DEFAULT_RETRY_BASE_MS,
    limiter: new Bottleneck({ minTime: Math.ceil(1000 / rate) }),
  };
  return (path, fields) => sendWithRetries(http, retry, path, fields);
}

async function searchLeads(send: Send, q: LeadSearchQuery) {
  return parseLeadSearch(
    await send("/leads/search", {
      phone_number: q.phoneNumber,
      lead_id: q.leadId,
      list_id: q.listId,
      status: q.status,
      offset: q.offset,
      limit: q.limit,
    }),
  );
}

async function insertLead(send: Send, fields: LeadInsertFields): Promise<{ leadId: string }> {
  const { listId, phoneNumber, ...rest } = fields;
  const body = await send("/leads/insert", { ...rest, list_id: listId, phone_number: phoneNumber });
  return { leadId: parseLeadId(body, "/leads/insert") };
}

async function insertDnc(send: Send, phone: string, opts: DncInsertOptions = {}): Promise<void> {
  const fields = {
    phone_number: toTenDigits(phone),
    phone_code: "1",
    campaign_id: opts.campaignId ?? "0",
    reason: opts.reason,
  };
  try {
    await send("/dnc/insert", fields);
  } catch (error) {
    if (error instanceof ConvosoError && error.convosoCode === ALREADY_ON_DNC_LIST) return;
    throw error;
  }
}

/** A "not found" answer means the number is on no DNC list. */
async function searchDnc(send: Send, phone: string): Promise<boolean> {
  try {
    const { total, entries } = extractEntries(
      await send("/dnc/search", { phone_number: toTenDigits(phone) }),
      "/dnc/search",
    );
    return total > 0 || entries.length > 0;
  } catch (error) {
    if (error instanceof ConvosoError && error.code === "not_found") return false;
    throw error;
  }
}
