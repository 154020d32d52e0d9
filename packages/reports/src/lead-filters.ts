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
