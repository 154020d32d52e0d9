import type { Db } from "@redial/db";
import { OUTCOMES, type Outcome } from "@redial/domain";
import { createdBetween, isActiveForRedialing, isNotSold } from "./lead-filters.ts";
import { checkPeriod, type ReportPeriod } from "./report-period.ts";

export type OutcomeKey = Lowercase<Outcome>;

/** Not-completed leads by their last outcome; `never_called` has none, `other` an unrecognised one. */
export type LastOutcomeCounts = Record<OutcomeKey | "never_called" | "other", number>;

/** The leads created in a period, by where they stand. Definitions: packages/reports/README.md. */
export interface Breakdown {
  report: "breakdown";
  from: string;
  to: string;
  timezone: string;
  today: string;
  leads_in_period: number;
  active_for_redialing: number;
  transferred_not_sold: number;
  ever_transferred_not_sold: number;
  completed_sale: number;
  completed_dnc: number;
  last_outcome_counts: LastOutcomeCounts;
  should_continue: number;
  total_non_sale: number;
  total_non_dnc: number;
  dnc_count: number;
  daily_max_reached_today: number;
  paused: number;
}

export function outcomeKey(outcome: Outcome): OutcomeKey {
  return outcome.toLowerCase() as OutcomeKey;
}

export async function breakdownReport(db: Db, p: ReportPeriod): Promise<Breakdown> {
  checkPeriod(p);
  const [statuses, everTransferred, dnc, dailyMax] = await Promise.all([
    countStatuses(db, p),
    countEverTransferredNotSold(db, p),
    countDnc(db, p),
    countDailyMaxReachedToday(db, p),
  ]);
  const { leads_in_period, completed_sale, completed_dnc, should_continue, last_outcome_counts } = statuses;
  return {
    report: "breakdown",
    from: p.from,
    to: p.to,
    timezone: p.timezone,
    today: p.today,
    leads_in_period,
    active_for_redialing: statuses.active_for_redialing,
    transferred_not_sold: statuses.transferred_not_sold,
    ever_transferred_not_sold: everTransferred,
    completed_sale,
    completed_dnc,
    last_outcome_counts,
    should_continue,
    total_non_sale: leads_in_period - completed_sale,
    total_non_dnc: leads_in_period - completed_dnc,
    dnc_count: dnc,
    daily_max_reached_today: dailyMax,
    paused: statuses.paused,
  };
}

/** One pass over the period's leads: every count that depends on the lead row alone. */
async function countStatuses(db: Db, p: ReportPeriod) {
  const row = await db
    .selectFrom("leads")
    .where(createdBetween(p.from, p.to, p.timezone))
    .select((eb) => {
      const open = eb("status", "!=", "completed");
      return [
        eb.fn.countAll<number>().as("leads_in_period"),
        eb.fn.countAll<number>().filterWhere(isActiveForRedialing).as("active_for_redialing"),
        eb.fn
          .countAll<number>()
          .filterWhere((f) => f.and([open, f("last_outcome", "=", "TRANSFERRED")]))
          .as("transferred_not_sold"),
        eb.fn.countAll<number>().filterWhere("final_outcome", "=", "SALE").as("completed_sale"),
        eb.fn.countAll<number>().filterWhere("final_outcome", "=", "DNC").as("completed_dnc"),
        eb.fn.countAll<number>().filterWhere(open).as("should_continue"),
        eb.fn.countAll<number>().filterWhere("status", "=", "paused").as("paused"),
        eb.fn
          .countAll<number>()
          .filterWhere((f) => f.and([open, f("last_outcome", "is", null)]))
          .as("never_called"),
        ...OUTCOMES.map((outcome) =>
          eb.fn
            .countAll<number>()
            .filterWhere((f) => f.and([open, f("last_outcome", "=", outcome)]))
            .as(outcomeKey(outcome)),
        ),
      ];
    })
    .executeTakeFirstOrThrow();
  const counts = row as unknown as Record<string, number>;
  const last_outcome_counts = { never_called: row.never_called, other: 0 } as LastOutcomeCounts;
  for (const outcome of OUTCOMES) last_outcome_counts[outcomeKey(outcome)] = counts[outcomeKey(outcome)] ?? 0;
  const named = Object.values(last_outcome_counts).reduce((sum, n) => sum + n, 0);
  last_outcome_counts.other = row.should_continue - named;
  return { ...row, last_outcome_counts };
}

/** Leads of the period that had at least one transferred call and were never sold. */
async function countEverTransferredNotSold(db: Db, p: ReportPeriod): Promise<number> {
  const row = await db
    .selectFrom("leads")
    .where(createdBetween(p.from, p.to, p.timezone))
    .where(isNotSold)
    .where("id", "in", (eb) =>
      eb.selectFrom("call_attempts").select("lead_id").where("transferred", "=", true),
    )
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Leads of the period that must not be called: completed with DNC, or their phone is on our DNC list. */
async function countDnc(db: Db, p: ReportPeriod): Promise<number> {
  const row = await db
    .selectFrom("leads")
    .where(createdBetween(p.from, p.to, p.timezone))
    .where((eb) =>
      eb.or([
        eb("final_outcome", "=", "DNC"),
        eb.exists(
          eb
            .selectFrom("dnc_phones")
            .select("dnc_phones.phone")
            .whereRef("dnc_phones.phone", "=", "leads.phone"),
        ),
      ]),
    )
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Leads of the period flagged daily_max_reached that were in fact called today (not a stale flag). */
async function countDailyMaxReachedToday(db: Db, p: ReportPeriod): Promise<number> {
  const row = await db
    .selectFrom("leads")
    .where(createdBetween(p.from, p.to, p.timezone))
    .where("status", "=", "daily_max_reached")
    .where("id", "in", (eb) =>
      eb
        .selectFrom("call_attempts")
        .select("lead_id")
        .where("campaign_day", "=", p.today)
        .where("state", "!=", "not_placed"),
    )
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return row.n;
}
