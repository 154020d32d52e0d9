import type { History } from "./history.ts";
import { historyLeadId } from "./history.ts";
import type { Outcome } from "./outcomes.ts";
import { areaFor, historyPhone } from "./phone-numbers.ts";
import { hash32, pick, rngFor } from "./prng.ts";

/** A Convoso lead as its API returns it: every value a string (or null). */
export type ConvosoLead = Record<string, string | null> & {
  id: string;
  lead_id: string;
  list_id: string;
  status: string;
  phone_number: string;
};

export const HISTORY_LIST_IDS = ["1001", "1002", "1003"] as const;
export const SECOND_LIST_ID = "2001";
const FIRST_NAMES = ["Ana", "Ben", "Carla", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivan", "Jo", "Kai", "Lena"];
const LAST_NAMES = [
  "Garcia",
  "Smith",
  "Nguyen",
  "Brown",
  "Khan",
  "Lopez",
  "Miller",
  "Davis",
  "Moore",
  "Clark",
];

/**
 * Leads for the history's phones, derived like the history itself: ~10% of phones have none,
 * ~1/6 sit in two lists; the status follows the phone's calls (any sale → SALE, any dnc → DNC,
 * else the last outcome's status).
 */
export function historyLeadsOf(history: History, seed: number, phoneIndex: number): ConvosoLead[] {
  const h = hash32(seed, phoneIndex, 21);
  if (h % 10 === 0) return [];
  const first = deriveLead(
    history,
    seed,
    phoneIndex,
    0,
    pick(rngFor(seed, phoneIndex, 22), HISTORY_LIST_IDS),
  );
  if (h % 6 !== 1) return [first];
  return [
    first,
    { ...deriveLead(history, seed, phoneIndex, 1, SECOND_LIST_ID), status: "NEW", status_name: "New Lead" },
  ];
}

/** The derived lead with this id, if the id is one (ids 1,000,000 + 2·phone + slot). */
export function historyLeadById(history: History, seed: number, id: string): ConvosoLead | undefined {
  const n = Number(id);
  if (!Number.isInteger(n) || n < 1_000_000) return undefined;
  const phoneIndex = Math.floor((n - 1_000_000) / 2);
  if (phoneIndex >= history.phoneCount || history.count === 0) return undefined;
  return historyLeadsOf(history, seed, phoneIndex).find((lead) => lead.id === id);
}

/** The status the phone's calls leave its lead in. */
export function historyStatusOf(history: History, phoneIndex: number): string {
  const outcomes = history.callsOfPhone(phoneIndex).map((i) => history.outcome(i));
  if (outcomes.includes("sale")) return "SALE";
  if (outcomes.includes("dnc")) return "DNC";
  const last = outcomes.at(-1);
  return last === undefined ? "NEW" : STATUS_OF[last];
}

const STATUS_OF: Record<Outcome, string> = {
  sale: "SALE",
  dnc: "DNC",
  transferred: "ACA",
  callback: "CB",
  voicemail: "A",
  no_answer: "NA",
  busy: "B",
  not_interested: "NI",
  failed_bad_number: "DC",
  dnc_spoken: "DNCA",
};

const STATUS_NAMES: Record<string, string> = {
  SALE: "Sale",
  DNC: "Do Not Call",
  ACA: "ACA Transfer",
  CB: "Callback",
  A: "Answering Machine",
  NA: "No Answer",
  B: "Busy",
  NI: "Not Interested",
  DC: "Disconnected Number",
  NEW: "New Lead",
};

function deriveLead(
  history: History,
  seed: number,
  phoneIndex: number,
  slot: number,
  listId: string,
): ConvosoLead {
  const rng = rngFor(seed, phoneIndex, 23 + slot);
  const calls = history.callsOfPhone(phoneIndex);
  const lastCall = calls.at(-1);
  const firstCall = calls[0];
  const createdMs = (firstCall === undefined ? 0 : history.createdAtMs(firstCall)) - 86_400_000;
  const status = historyStatusOf(history, phoneIndex);
  const first = pick(rng, FIRST_NAMES);
  const last = pick(rng, LAST_NAMES);
  const area = areaFor(phoneIndex);
  const id = String(Number(historyLeadId(phoneIndex)) + slot);
  return {
    id,
    lead_id: id,
    list_id: listId,
    campaign_id: "10",
    status,
    status_name: STATUS_NAMES[status] ?? status,
    phone_number: historyPhone(phoneIndex).slice(2),
    phone_code: "1",
    called_count: String(calls.length),
    last_called: lastCall === undefined ? null : convosoTime(history.createdAtMs(lastCall)),
    created_at: convosoTime(createdMs),
    modified_at: lastCall === undefined ? convosoTime(createdMs) : convosoTime(history.createdAtMs(lastCall)),
    first_name: first,
    last_name: last,
    email: `${first}.${last}${phoneIndex}@example.com`.toLowerCase(),
    state: area.state,
    postal_code: area.zip,
  };
}

/** Convoso's "YYYY-MM-DD HH:MM:SS" timestamps. */
export function convosoTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}
