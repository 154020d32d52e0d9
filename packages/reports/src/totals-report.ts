import type { Db } from "@redial/db";
import { isActiveForRedialing } from "./lead-filters.ts";
import { checkDay, checkTimezone, dayEnd, dayStart, previousDay } from "./report-period.ts";

/** Lifetime counts over every lead: a quick snapshot of the queue's health. */
export interface Totals {
  report: "totals";
  timezone: string;
  today: string;
  total_leads: number;
  active_for_redialing: number;
  created_today: number;
  created_yesterday: number;
  created_older: number;
  daily_max_reached: number;
  completed: number;
  completed_sale: number;
  completed_dnc: number;
  paused: number;
}

export async function totalsReport(db: Db, p: { timezone: string; today: string }): Promise<Totals> {
  checkDay("today", p.today);
  checkTimezone(p.timezone);
  const yesterday = previousDay(p.today);
  const startOfYesterday = dayStart(yesterday, p.timezone);
  const endOfYesterday = dayEnd(yesterday, p.timezone);
  const row = await db
    .selectFrom("leads")
    .select((eb) => [
      eb.fn.countAll<number>().as("total_leads"),
      eb.fn.countAll<number>().filterWhere(isActiveForRedialing).as("active_for_redialing"),
      eb.fn
        .countAll<number>()
        .filterWhere((f) =>
          f.and([f("created_at", ">=", endOfYesterday), f("created_at", "<", dayEnd(p.today, p.timezone))]),
        )
        .as("created_today"),
      eb.fn
        .countAll<number>()
        .filterWhere((f) =>
          f.and([f("created_at", ">=", startOfYesterday), f("created_at", "<", endOfYesterday)]),
        )
        .as("created_yesterday"),
      eb.fn.countAll<number>().filterWhere("created_at", "<", startOfYesterday).as("created_older"),
      eb.fn.countAll<number>().filterWhere("status", "=", "daily_max_reached").as("daily_max_reached"),
      eb.fn.countAll<number>().filterWhere("status", "=", "completed").as("completed"),
      eb.fn.countAll<number>().filterWhere("final_outcome", "=", "SALE").as("completed_sale"),
      eb.fn.countAll<number>().filterWhere("final_outcome", "=", "DNC").as("completed_dnc"),
      eb.fn.countAll<number>().filterWhere("status", "=", "paused").as("paused"),
    ])
    .executeTakeFirstOrThrow();
  return { report: "totals", timezone: p.timezone, today: p.today, ...row };
}
