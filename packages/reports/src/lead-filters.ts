import type { Database } from "@redial/db";
import type { ExpressionBuilder } from "kysely";
import { dayEnd, dayStart } from "./report-period.ts";

type LeadsEb = ExpressionBuilder<Database, "leads">;

/** Leads created during the campaign days from..to, as a range over created_at (uses its index). */
export function createdBetween(from: string, to: string, timezone: string) {
  return (eb: LeadsEb) =>
    eb.and([
      eb("leads.created_at", ">=", dayStart(from, timezone)),
      eb("leads.created_at", "<", dayEnd(to, timezone)),
    ]);
}

/** Leads still being redialed: the dial loop may call them now or on the next calling day. */
export function isActiveForRedialing(eb: LeadsEb) {
  return eb("leads.status", "in", ["active", "daily_max_reached"]);
}

/** Leads whose final outcome is not SALE (never sold, including DNC and not yet finished). */
export function isNotSold(eb: LeadsEb) {
  return eb.or([eb("leads.final_outcome", "is", null), eb("leads.final_outcome", "!=", "SALE")]);
}
